/**
 * Leave types: the contract's codes and their synonyms in both languages, plus
 * a tenant's own leave-type names mapped onto those codes.
 */
import type { LeaveTypeCode, TenantLeaveType } from '../types.js';
import { normalizeText } from '../normalize.js';
import { CANONICAL_NAME, LEAVE_TYPE_SYNONYMS } from '../../../domain/leave-types.js';

export { CANONICAL_NAME } from '../../../domain/leave-types.js';

const CODE_OF = new Map<string, LeaveTypeCode>();
const alternatives: string[] = [];
for (const [code, terms] of LEAVE_TYPE_SYNONYMS) {
  for (const term of terms) {
    CODE_OF.set(term, code);
    alternatives.push(/^[a-z]/.test(term) ? `\\b${term}\\b` : term);
  }
}
// Longest first so "陪产假" is read before "产假" and "sick leave" before "sick".
alternatives.sort((a, b) => b.length - a.length);
const ANY_TYPE = new RegExp(alternatives.map((a) => `(${a})`).join('|'), 'g');
const termOf = (m: RegExpMatchArray): string => m.slice(1).find((g) => g !== undefined) ?? '';

/**
 * The one leave type a (normalised) message names; none when it names none or
 * several different ones.
 *
 * @example extractLeaveType('我的陪产假还有几天') // → 'paternity'
 * @example extractLeaveType('how much comp time do i have left?') // → 'compensatory'
 */
export function extractLeaveType(text: string, leaveTypes?: readonly TenantLeaveType[]): LeaveTypeCode | undefined {
  const codes = new Set<LeaveTypeCode>();
  const source = leaveTypes?.length ? applyTenantLeaveTypes(text, leaveTypes) : text;
  for (const m of source.matchAll(ANY_TYPE)) {
    const code = CODE_OF.get(termOf(m));
    if (code) codes.add(code);
  }
  return codes.size === 1 ? [...codes][0] : undefined;
}

interface TenantPattern {
  pattern: RegExp;
  replacement: string;
}
const compiled = new WeakMap<readonly TenantLeaveType[], TenantPattern[]>();

function compileTenant(leaveTypes: readonly TenantLeaveType[]): TenantPattern[] {
  const patterns: TenantPattern[] = [];
  for (const type of leaveTypes) {
    const name = normalizeText(type.name);
    if (name.length < 2) continue;
    const code = type.code ?? extractLeaveType(name);
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const bounded = `${/^[a-z0-9]/.test(name) ? '\\b' : ''}${escaped}${/[a-z0-9]$/.test(name) ? '\\b' : ''}`;
    // A type that fits no code still reads as "leave", so the message keeps its meaning.
    patterns.push({ pattern: new RegExp(bounded, 'g'), replacement: ` ${code ? CANONICAL_NAME[code] : '假期'} ` });
  }
  return patterns.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
}

/**
 * Rewrites a tenant's own leave-type names in a normalised message to the
 * built-in name of their code (or to plain "假期" when they fit none).
 *
 * @example applyTenantLeaveTypes('floating holiday left?', [{ name: 'Floating Holiday' }]) // → ' 假期  left?'
 */
export function applyTenantLeaveTypes(text: string, leaveTypes: readonly TenantLeaveType[]): string {
  let patterns = compiled.get(leaveTypes);
  if (!patterns) {
    patterns = compileTenant(leaveTypes);
    compiled.set(leaveTypes, patterns);
  }
  let out = text;
  for (const { pattern, replacement } of patterns) out = out.replace(pattern, replacement);
  return out;
}
