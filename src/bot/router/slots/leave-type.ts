/**
 * Leave types: the contract's codes and their synonyms in both languages, plus
 * a tenant's own leave-type names mapped onto those codes. Matching is plain
 * substring search (whole words for Latin terms), never a regex built from the
 * synonym table, so its cost is linear in the text whatever the table holds.
 */
import type { LeaveTypeCode, TenantLeaveType } from '../types.js';
import { normalizeText } from '../normalize.js';
import { CANONICAL_NAME, LEAVE_TYPE_SYNONYMS } from '../../../domain/leave-types.js';
import { LEAVE_SLANG } from '../lexicon.js';

export { CANONICAL_NAME } from '../../../domain/leave-types.js';

interface Term {
  text: string;
  code: LeaveTypeCode;
  latin: boolean;
}

const TERMS: Term[] = [];
for (const [code, terms] of [...LEAVE_TYPE_SYNONYMS, ...LEAVE_SLANG]) {
  for (const text of terms) TERMS.push({ text, code, latin: /^[a-z]/.test(text) });
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[a-z0-9]/.test(ch);

/** Where `term` occurs in `text`: anywhere for CJK, as whole words for Latin terms. */
function* occurrences(text: string, term: string, wholeWord: boolean): Generator<number> {
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
    if (!wholeWord || (!isWordChar(text[at - 1]) && !isWordChar(text[at + term.length]))) yield at;
  }
}

/**
 * The leave-type codes a (normalised) text names, reading left to right and
 * taking the longest term at each place ("陪产假" is not also "产假").
 */
function codesIn(text: string): Set<LeaveTypeCode> {
  const hits: Array<{ start: number; end: number; code: LeaveTypeCode }> = [];
  for (const term of TERMS) {
    for (const at of occurrences(text, term.text, term.latin)) hits.push({ start: at, end: at + term.text.length, code: term.code });
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const codes = new Set<LeaveTypeCode>();
  let coveredTo = 0;
  for (const h of hits) {
    if (h.start < coveredTo) continue;
    codes.add(h.code);
    coveredTo = h.end;
  }
  return codes;
}

/**
 * The one leave type a (normalised) message names; none when it names none or
 * several different ones.
 *
 * @example extractLeaveType('我的陪产假还有几天') // → 'paternity'
 * @example extractLeaveType('how much comp time do i have left?') // → 'compensatory'
 */
export function extractLeaveType(text: string, leaveTypes?: readonly TenantLeaveType[]): LeaveTypeCode | undefined {
  const source = leaveTypes?.length ? applyTenantLeaveTypes(text, leaveTypes) : text;
  const codes = codesIn(source);
  return codes.size === 1 ? [...codes][0] : undefined;
}

interface TenantName {
  name: string;
  /** Latin ends must fall on word boundaries ("pto" is not inside "concepto"). */
  boundedStart: boolean;
  boundedEnd: boolean;
  replacement: string;
}
const compiled = new WeakMap<readonly TenantLeaveType[], TenantName[]>();

function compileTenant(leaveTypes: readonly TenantLeaveType[]): TenantName[] {
  const names: TenantName[] = [];
  for (const type of leaveTypes) {
    const name = normalizeText(type.name);
    if (name.length < 2) continue;
    const code = type.code ?? extractLeaveType(name);
    // A type that fits no code still reads as "leave", so the message keeps its meaning.
    const replacement = ` ${code ? CANONICAL_NAME[code] : '假期'} `;
    names.push({ name, boundedStart: isWordChar(name[0]), boundedEnd: isWordChar(name[name.length - 1]), replacement });
  }
  return names.sort((a, b) => b.name.length - a.name.length);
}

function replaceName(text: string, t: TenantName): string {
  let out = '';
  let from = 0;
  let at = text.indexOf(t.name);
  while (at >= 0) {
    const end = at + t.name.length;
    if ((t.boundedStart && isWordChar(text[at - 1])) || (t.boundedEnd && isWordChar(text[end]))) {
      at = text.indexOf(t.name, at + 1);
      continue;
    }
    out += text.slice(from, at) + t.replacement;
    from = end;
    at = text.indexOf(t.name, end);
  }
  return out + text.slice(from);
}

/**
 * Rewrites a tenant's own leave-type names in a normalised message to the
 * built-in name of their code (or to plain "假期" when they fit none).
 *
 * @example applyTenantLeaveTypes('floating holiday left?', [{ name: 'Floating Holiday' }]) // → ' 假期  left?'
 */
export function applyTenantLeaveTypes(text: string, leaveTypes: readonly TenantLeaveType[]): string {
  let names = compiled.get(leaveTypes);
  if (!names) {
    names = compileTenant(leaveTypes);
    compiled.set(leaveTypes, names);
  }
  let out = text;
  for (const t of names) out = replaceName(out, t);
  return out;
}
