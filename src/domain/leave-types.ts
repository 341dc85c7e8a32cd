/**
 * Leave types as the whole bot speaks of them: the intent contract's codes, every
 * spelling people and tenants use for each, and the Chinese name a code is written as.
 * Router, services and cards all read this one table.
 */

/** Leave-type codes of the intent contract. */
export const LEAVE_TYPE_CODES = [
  'annual',
  'sick',
  'personal',
  'compensatory',
  'marriage',
  'maternity',
  'paternity',
  'parental',
  'bereavement',
] as const;
export type LeaveTypeCode = (typeof LEAVE_TYPE_CODES)[number];

/** True for a string that is one of the contract's codes. */
export function isLeaveTypeCode(value: unknown): value is LeaveTypeCode {
  return typeof value === 'string' && (LEAVE_TYPE_CODES as readonly string[]).includes(value);
}

/**
 * Spellings of each code, lower case. Order matters where one name contains another:
 * more specific codes come first (陪产假 before 产假, "parental leave" before "maternity").
 */
export const LEAVE_TYPE_SYNONYMS: ReadonlyArray<readonly [LeaveTypeCode, readonly string[]]> = [
  ['paternity', ['陪产假', '护理假', '陪护假', 'paternity leave', 'paternity']],
  ['parental', ['育儿假', '育儿', 'childcare leave', 'child care leave', 'childcare', 'child care', 'parental leave', 'parental']],
  ['maternity', ['产假', '孕假', 'maternity leave', 'maternity']],
  [
    'compensatory',
    [
      '加班调休', '调休假', '调休', '补休', '倒休', 'time off in lieu', 'days in lieu', 'day in lieu', 'in lieu', 'lieu days',
      'toil', 'comp time', 'comp off', 'comp days', 'comp leave', 'compensatory leave', 'compensatory',
    ],
  ],
  ['bereavement', ['丧假', '丧葬假', 'bereavement leave', 'bereavement', 'funeral leave', 'funeral', 'compassionate leave', 'compassionate']],
  ['marriage', ['婚假', 'marriage leave', 'wedding leave', 'marriage', 'wedding']],
  ['sick', ['病假', '病休', '医疗期', 'sick leave', 'sick days', 'sick', 'medical leave']],
  ['personal', ['事假', 'personal leave', 'personal days', 'unpaid personal leave', 'unpaid leave', 'personal', 'unpaid']],
  [
    'annual',
    [
      '带薪年假', '年休假', '年假', '带薪假', 'annual leave', 'annual', 'vacation days', 'vacation', 'vacations', 'pto',
      'paid time off', 'holiday allowance', 'holiday entitlement', 'holiday days', 'holiday balance', 'holiday leave',
    ],
  ],
];

/** The Chinese name each code is written back as when a tenant name is recognised. */
export const CANONICAL_NAME: Readonly<Record<LeaveTypeCode, string>> = {
  annual: '年假',
  sick: '病假',
  personal: '事假',
  compensatory: '调休',
  marriage: '婚假',
  maternity: '产假',
  paternity: '陪产假',
  parental: '育儿假',
  bereavement: '丧假',
};

function normalise(name: string): string {
  return name.toLowerCase().replace(/[\s_-]+/g, ' ').trim();
}

const LATIN_WORDS = /^[a-z ]+$/;
const isLatinLetter = (ch: string | undefined) => ch !== undefined && ch >= 'a' && ch <= 'z';

/** Latin synonyms match whole words ("pto" must not match "concepto"); CJK ones match anywhere. */
function mentions(name: string, synonym: string): boolean {
  if (!LATIN_WORDS.test(synonym)) return name.includes(synonym);
  for (let at = name.indexOf(synonym); at >= 0; at = name.indexOf(synonym, at + 1)) {
    if (!isLatinLetter(name[at - 1]) && !isLatinLetter(name[at + synonym.length])) return true;
  }
  return false;
}

/**
 * The contract's code for a tenant leave type, from its names in any language.
 * Undefined when no code fits.
 *
 * @example
 * leaveTypeCodeOf(['带薪年假', 'Paid Annual Leave']) // 'annual'
 * leaveTypeCodeOf(['陪产假']) // 'paternity'
 */
export function leaveTypeCodeOf(names: readonly string[]): LeaveTypeCode | undefined {
  const spelled = names.map(normalise).filter(Boolean);
  for (const [code, synonyms] of LEAVE_TYPE_SYNONYMS) {
    if (spelled.some((name) => synonyms.some((s) => mentions(name, s)))) return code;
  }
  return undefined;
}
