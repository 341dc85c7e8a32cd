import { describe, expect, it } from 'vitest';
import { leaveTypeCodeOf } from '../../src/services/leave.js';

describe('leaveTypeCodeOf', () => {
  it.each([
    [['年假'], 'annual'],
    [['带薪年假', 'Paid Annual Leave'], 'annual'],
    [['Vacation'], 'annual'],
    [['PTO'], 'annual'],
    [['病假'], 'sick'],
    [['Sick Leave'], 'sick'],
    [['事假'], 'personal'],
    [['调休'], 'compensatory'],
    [['Time Off in Lieu'], 'compensatory'],
    [['婚假'], 'marriage'],
    [['产假'], 'maternity'],
    [['陪产假'], 'paternity'],
    [['Paternity Leave'], 'paternity'],
    [['育儿假'], 'parental'],
    [['丧假'], 'bereavement'],
    [['Bereavement'], 'bereavement'],
  ] as const)('%j → %s', (names, code) => {
    expect(leaveTypeCodeOf(names)).toBe(code);
  });

  it.each([[['产检假']], [['Concepto']], [['Study leave']], [[]]])('%j fits no code', (names) => {
    expect(leaveTypeCodeOf(names)).toBeUndefined();
  });
});
