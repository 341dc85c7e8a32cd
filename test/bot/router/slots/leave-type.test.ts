import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../../../src/bot/router/normalize.js';
import { applyTenantLeaveTypes, extractLeaveType } from '../../../../src/bot/router/slots/leave-type.js';
import type { TenantLeaveType } from '../../../../src/bot/router/types.js';

const type = (text: string, tenant?: TenantLeaveType[]): string | undefined => extractLeaveType(normalizeText(text), tenant);

describe('extractLeaveType', () => {
  it.each([
    ['年假', 'annual'], ['vacation', 'annual'], ['PTO', 'annual'], ['annual leave', 'annual'], ['年休假', 'annual'],
    ['病假', 'sick'], ['sick days', 'sick'], ['事假', 'personal'], ['unpaid personal leave', 'personal'],
    ['调休', 'compensatory'], ['time off in lieu', 'compensatory'], ['comp time', 'compensatory'], ['TOIL', 'compensatory'],
    ['婚假', 'marriage'], ['产假', 'maternity'], ['陪产假', 'paternity'], ['paternity leave', 'paternity'],
    ['育儿假', 'parental'], ['childcare leave', 'parental'], ['丧假', 'bereavement'], ['compassionate leave', 'bereavement'],
  ])('%s → %s', (text, want) => {
    expect(type(text)).toBe(want);
  });

  it('reads 陪产假 as paternity even though it contains 产假', () => {
    expect(type('我的陪产假还有几天')).toBe('paternity');
  });

  it('leaves the type out when none or several are named', () => {
    expect(type('我的假期还剩多少')).toBeUndefined();
    expect(type('年假和病假还有多少')).toBeUndefined();
    expect(type('personality')).toBeUndefined();
  });

  it("maps a tenant's own names to codes, given or inferred, and leaves out one that fits none", () => {
    const tenant: TenantLeaveType[] = [
      { name: '带薪病假' },
      { name: 'Home Visit Leave', code: 'personal' },
      { name: 'Floating Holiday' },
    ];
    expect(type('带薪病假还剩几天', tenant)).toBe('sick');
    expect(type('how much home visit leave do I have', tenant)).toBe('personal');
    expect(type('floating holiday balance', tenant)).toBeUndefined();
    expect(applyTenantLeaveTypes('floating holiday balance', tenant).trim()).toBe('假期  balance');
  });
});

describe('extractLeaveType: chat abbreviations and short forms', () => {
  it.each([
    ['how many AL do I have left', 'annual'], ['我的AL还剩几天', 'annual'], ['SL left?', 'sick'], ['SL余额多少', 'sick'],
    ['vacay days left?', 'annual'], ['hols remaining', 'annual'], ['P.T.O. balance', 'annual'], ['ptos remaining', 'annual'],
    ['TOIL balance', 'compensatory'], ['TIL left?', 'compensatory'], ['lieu days', 'compensatory'],
    ['mat leave left?', 'maternity'], ['pat leave balance', 'paternity'], ['年休还有几天', 'annual'], ['陪产还能休几天', 'paternity'],
  ])('%s → %s', (text, want) => {
    expect(type(text)).toBe(want);
  });

  it('reads abbreviations as whole words only', () => {
    expect(type('total balance')).toBeUndefined();
    expect(type('slow day')).toBeUndefined();
  });
});
