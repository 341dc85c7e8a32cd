import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { homophoneJson } from '../../../scripts/build-homophones.js';
import { coveredChars, soundsLike } from '../../../src/bot/router/homophones.js';
import { fuzzyKeyChars } from '../../../src/bot/router/features.js';
import { routeIntent } from '../../../src/bot/router/router.js';

const OPTS = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
const route = (text: string) => {
  const { intent, slots } = routeIntent(text, OPTS);
  return { intent, slots };
};

describe('soundsLike', () => {
  it('pairs characters that share a reading, tones and z/zh-style fuzzy initials ignored', () => {
    expect(soundsLike('价', '假')).toBe(true);
    expect(soundsLike('跳', '条')).toBe(true);
    expect(soundsLike('掉', '调')).toBe(true); // 调 also reads diào
    expect(soundsLike('组', '助')).toBe(true); // zu ~ zhu
    expect(soundsLike('假', '假')).toBe(false);
    expect(soundsLike('次', '资')).toBe(false); // ci is not zi
    expect(soundsLike('是', '事')).toBe(false); // too common to be a slip
  });

  it('covers every character of the short fuzzy key words (run `npm run build:homophones` after adding one)', () => {
    const covered = new Set(coveredChars());
    expect(fuzzyKeyChars().filter((ch) => !covered.has(ch))).toEqual([]);
  });

  it('matches the table pinyin-pro builds today', () => {
    const shipped = readFileSync(fileURLToPath(new URL('../../../src/bot/router/data/homophones.json', import.meta.url)), 'utf8');
    expect(homophoneJson()).toBe(shipped);
  }, 60_000);
});

describe('routeIntent: Chinese typos by sound', () => {
  it.each([
    ['年价还有几天', 'leave.balance', { leaveType: 'annual' }],
    ['条休还剩多少', 'leave.balance', { leaveType: 'compensatory' }],
    ['桑假余额', 'leave.balance', { leaveType: 'bereavement' }],
    ['查下公资条', 'payslip', {}],
    ['上个月的工资跳', 'payslip', { month: '2025-02' }],
    ['去年的年终将', 'lump_sum', { year: 2024 }],
    ['开启题醒', 'reminder.subscribe', {}],
    ['切换到鹰文', 'language.set', { locale: 'en-US' }],
    ['帮住', 'help', {}],
  ])('%s → %s', (text, intent, slots) => {
    expect(route(text)).toEqual({ intent, slots });
  });

  it('does not read a common word as a slip of a key word', () => {
    expect(route('这个是假的吗').intent).toBe('unknown');
    expect(route('我的年假余额')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'annual' } });
  });
});
