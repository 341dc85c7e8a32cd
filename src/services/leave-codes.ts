import type { LeaveTypeCode } from '../bot/context.js';

/**
 * Spellings of each leave-type code (`../shared/intents/README.md`). Order matters:
 * more specific names come first (陪产假 before 产假, "parental" before "maternity").
 */
const SYNONYMS: ReadonlyArray<readonly [LeaveTypeCode, readonly string[]]> = [
  ['paternity', ['陪产假', '陪护假', 'paternity']],
  ['parental', ['育儿假', '育儿', 'parental', 'childcare', 'child care']],
  ['maternity', ['产假', 'maternity']],
  ['compensatory', ['调休', '补休', 'compensatory', 'comp time', 'comp off', 'time off in lieu', 'toil', 'in lieu']],
  ['bereavement', ['丧假', 'bereavement', 'funeral', 'compassionate']],
  ['marriage', ['婚假', 'marriage', 'wedding']],
  ['sick', ['病假', 'sick', 'medical leave']],
  ['personal', ['事假', 'personal', 'unpaid']],
  ['annual', ['年假', '年休假', 'annual', 'vacation', 'pto', 'paid time off', 'holiday leave']],
];

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

/**
 * The intent contract's code for a tenant leave type, from its names in any language.
 * Undefined when no code fits.
 *
 * @example
 * leaveTypeCodeOf(['带薪年假', 'Paid Annual Leave']) // 'annual'
 * leaveTypeCodeOf(['陪产假']) // 'paternity'
 */
export function leaveTypeCodeOf(names: readonly string[]): LeaveTypeCode | undefined {
  const spelled = names.map(normalise).filter(Boolean);
  for (const [code, synonyms] of SYNONYMS) {
    if (spelled.some((name) => synonyms.some((s) => matches(name, s)))) return code;
  }
  return undefined;
}

/** Latin synonyms match whole words ("pto" must not match "concepto"); CJK ones match anywhere. */
function matches(name: string, synonym: string): boolean {
  if (/^[a-z ]+$/.test(synonym)) return new RegExp(`(^|[^a-z])${synonym}([^a-z]|$)`).test(name);
  return name.includes(synonym);
}
