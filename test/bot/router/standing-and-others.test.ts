/**
 * Router rules read off the team corpus's and the fresh dev set's misses, each as a general
 * form: a standing push asked without the word "reminder" (expiry warnings, "once a month",
 * "keep me posted", "turn it back on"), another person's records, a Chinese word asked "in
 * English?", and holiday plans around a balance question.
 */
import { describe, expect, it } from 'vitest';
import { routeIntent } from '../../../src/bot/router/router.js';

const OPTS = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
const route = (text: string) => {
  const { intent, slots } = routeIntent(text, OPTS);
  return { intent, slots };
};
const rulesOnly = (text: string) => routeIntent(text, { ...OPTS, model: null }).intent;

describe('reminder.subscribe without the word "reminder"', () => {
  it.each([
    '年假快过期的时候通知我', '调休要到期了记得告诉我', '病假额度快清零时给我发条消息', '每个礼拜推一下我的假期余额',
    '每月一次把假期余额发给我', 'let me know before my leave expires', 'warn me when my vacation days are about to lapse',
    'send me my leave balance once a month', 'keep me posted on my remaining PTO every month', 'monthly bal msgs pls',
    'AL快expire的时候ping我', '每个月send我一下leave balance', '之前关掉的余额消息再打开吧', 'turn the balance messages back on',
  ])('%s', (text) => {
    expect(route(text).intent).toBe('reminder.subscribe');
    // The rules alone read it too: the model is not what carries it.
    expect(rulesOnly(text)).toBe('reminder.subscribe');
  });

  it.each([
    '先把余额通知停一段时间', 'put the monthly balance updates on hold', 'no need to message me about my leave every month',
    'stop spamming me with my leave balance', '别再send我PTO balance了',
  ])('unsubscribe: %s', (text) => {
    expect(route(text).intent).toBe('reminder.unsubscribe');
    expect(rulesOnly(text)).toBe('reminder.unsubscribe');
  });

  it.each([
    ['send me my leave balance', 'leave.balance'], ['发一下我的年假余额', 'leave.balance'], ['let me know how many days of AL I have', 'leave.balance'],
    ['年假过期了还能补回来吗', 'unknown'], ['send me my payslip', 'payslip'],
  ])('a one-off ask stays what it is: %s → %s', (text, intent) => {
    expect(route(text).intent).toBe(intent);
  });
});

describe("another person's records are out of scope", () => {
  it.each(['查一下@_user_2的假期余额', '查下Tom的sick leave余额', "can I see Lisa's payslip", "Tom's bonus last year", 'Kevin的工资条发我'])('%s', (text) => {
    expect(route(text).intent).toBe('unknown');
  });

  it('a capitalised topic word, month or contraction is not a person', () => {
    expect(route("What's my PTO balance").intent).toBe('leave.balance');
    expect(route("Vacation's left?").intent).toBe('leave.balance');
    expect(route('帮我查下 Jan 的 payslip')).toEqual({ intent: 'payslip', slots: { month: '2025-01' } });
    expect(route('Paysilp的明细').intent).toBe('payslip');
  });
});

describe('other look-alikes', () => {
  it('a Chinese leave word asked "in English?" is a translation, not a language switch', () => {
    expect(route('婚假 in English?').intent).toBe('unknown');
    expect(route('what is 调休 in English').intent).toBe('unknown');
    expect(route('switch to English').intent).toBe('language.set');
  });

  it('holiday plans around a balance question are context; a holiday question alone is not served', () => {
    expect(route('年假还有几天啊，想五一前后连着休')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'annual' } });
    expect(route('how much PTO do I have left before Christmas').intent).toBe('leave.balance');
    expect(route('春节放几天假').intent).toBe('unknown');
    expect(route('国庆可以调休吗').intent).toBe('unknown');
  });

  it('a bank wanting a payslip is still a payslip; changing the bank card is not', () => {
    expect(route('my bank wants my latest payslip').intent).toBe('payslip');
    expect(route('上个月扣完税到手多少')).toEqual({ intent: 'payslip', slots: { month: '2025-02' } });
    expect(route('how do I change my bank account').intent).toBe('unknown');
  });
});

describe('more look-alikes', () => {
  it('"why" asks HR for an explanation, except about a named month of pay', () => {
    expect(route('为什么我的调休少了两天').intent).toBe('unknown');
    expect(route('why was my leave grant reduced').intent).toBe('unknown');
    expect(route('3月工资为啥少了')).toEqual({ intent: 'payslip', slots: { month: '2025-03' } });
    expect(route('why was my pay lower in January')).toEqual({ intent: 'payslip', slots: { month: '2025-01' } });
  });

  it.each(['我下属的病假还剩多少', '他们工资多少', "how much PTO does my teammate have left", '小赵还剩几天年假', '新来的同事工资是不是比我高'])(
    'other people by role, pronoun or comparison: %s',
    (text) => {
      expect(route(text).intent).toBe('unknown');
    },
  );

  it('"其他的" is not another person', () => {
    expect(route('其他的假期余额也发我看看').intent).toBe('leave.balance');
  });

  it('travel and the list of leave types are context of a balance question, out of scope alone', () => {
    expect(route('订机票之前想确认下年假还剩几天')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'annual' } });
    expect(route('帮我订一张去上海的机票').intent).toBe('unknown');
    expect(route('公司一共有几种假').intent).toBe('unknown');
    expect(route('what kinds of leave are there').intent).toBe('unknown');
  });

  it('asking for leave with an outright "what is left" is a balance question', () => {
    expect(route('下周可能要请两天病假，先看看病假还剩多少')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'sick' } });
    expect(route('我想请两天病假').intent).toBe('unknown');
  });

  it('"用完了吗" and "还够…吗" ask what is left', () => {
    expect(route('我的事假用完了吗')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'personal' } });
    expect(route('调休还够休三天吗')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'compensatory' } });
  });

  it('a bare "?" or "start" asks what the bot does', () => {
    for (const text of ['?', '？？', 'start', '/start', '开始']) expect(route(text).intent).toBe('help');
    expect(route('start sending me my leave balance every month').intent).toBe('reminder.subscribe');
  });

  it('"replying" is not corrected to "applying"', () => {
    expect(route('could you keep replying in English').intent).toBe('language.set');
  });
});
