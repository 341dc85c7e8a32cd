import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AUDIT_RETENTION_MS, GrantValues, type EditRequest } from '../../domain/accrual-edit.js';
import type { StoreKeys } from '../../store/keys.js';
import type { Store } from '../../store/types.js';

export const AUDIT_EVENTS = [
  'proposed',
  'submitted',
  'cancelled',
  'approved',
  'rejected',
  'expired',
  'nudged',
  'written',
  'failed',
  'retried',
] as const;
export type AuditEvent = (typeof AUDIT_EVENTS)[number];

/** One line of the audit log: who did what to which request, when, with what outcome. */
export const AuditEntry = z.object({
  /** Unique per line (the log keeps equal lines once). */
  id: z.string(),
  /** ms since epoch */
  at: z.number(),
  event: z.enum(AUDIT_EVENTS),
  requestId: z.string(),
  /** open_id of the person who acted; `system` for expiry and nudges. */
  actor: z.string(),
  requester: z.string(),
  employee: z.string(),
  leaveTypeId: z.string(),
  recordId: z.string(),
  before: GrantValues.nullable(),
  after: GrantValues,
  reason: z.string().optional(),
  rejectReason: z.string().optional(),
  /** Feishu's error code of a failed write. */
  errorCode: z.number().optional(),
});
export type AuditEntry = z.output<typeof AuditEntry>;

export interface AuditLog {
  append(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  /** Entries from `since` (ms) on, oldest first; unreadable lines are skipped. */
  read(since: number): Promise<AuditEntry[]>;
}

/**
 * The accrual-edit audit log in the store: a time-ordered log kept at least 400 days.
 *
 * @example
 * const audit = createAuditLog(store, keys)
 * await audit.append({ at: Date.now(), event: 'approved', requestId, actor: 'ou_hr2', … })
 */
let sequence = 0;

export function createAuditLog(store: Store, keys: StoreKeys): AuditLog {
  return {
    async append(entry) {
      // Equal times sort by member: the id starts with a per-process sequence, so a
      // request's entries written in the same millisecond keep their order.
      sequence += 1;
      const line: AuditEntry = { id: `${String(sequence).padStart(12, '0')}-${randomUUID()}`, ...entry };
      await store.appendToLog(keys.accrualAudit(), entry.at, JSON.stringify(line), AUDIT_RETENTION_MS);
    },
    async read(since) {
      const lines = await store.readLog(keys.accrualAudit(), since);
      return lines.flatMap((line) => {
        try {
          const parsed = AuditEntry.safeParse(JSON.parse(line));
          return parsed.success ? [parsed.data] : [];
        } catch {
          return [];
        }
      });
    },
  };
}

/** The audit fields every entry of a request repeats: who asked, for whom, which record, before and after. */
export function auditFields(r: EditRequest) {
  const before = r.before
    ? { ...(r.before.quantity ? { quantity: r.before.quantity } : {}), ...(r.before.expirationDate ? { expirationDate: r.before.expirationDate } : {}) }
    : null;
  return {
    requestId: r.id,
    requester: r.requester,
    employee: r.employee,
    leaveTypeId: r.leaveTypeId,
    recordId: r.recordId,
    before,
    after: r.after,
    reason: r.reason,
  };
}
