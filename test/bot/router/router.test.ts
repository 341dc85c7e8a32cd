import { describe, expect, it } from 'vitest';
import { relatedIntents, MAX_ROUTED_CHARS, routeIntent, SLOTS_BY_INTENT, THRESHOLD, type RouteOptions } from '../../../src/bot/router/router.js';

const OPTS: RouteOptions = { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
const route = (text: string, opts: RouteOptions = OPTS) => {
  const { intent, slots } = routeIntent(text, opts);
  return { intent, slots };
};

describe('routeIntent: messy input', () => {
  it('reads full-width digits, typos, mentions and emoji', () => {
    expect(route('１月工资条')).toEqual({ intent: 'payslip', slots: { month: '2025-01' } });
    expect(route('paysilp pls')).toEqual({ intent: 'payslip', slots: {} });
    expect(route('febuary payslip')).toEqual({ intent: 'payslip', slots: { month: '2025-02' } });
    expect(route('@_user_1 my PTO?')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'annual' } });
    expect(route('leave balence 🙏')).toEqual({ intent: 'leave.balance', slots: {} });
    expect(route('turn off remidners')).toEqual({ intent: 'reminder.unsubscribe', slots: {} });
    expect(route('查詢我的年假餘額')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'annual' } });
  });

  it('forgives one wrong character in a long Chinese term', () => {
    const slip = routeIntent('把发放纪录 6552071547227441560 设为 3 天', OPTS);
    expect(slip.intent).toBe('accrual.edit');
    expect(slip.confidence).toBe(1);
  });

  it('answers unknown with no slots for an empty or blank message', () => {
    expect(route('')).toEqual({ intent: 'unknown', slots: {} });
    expect(route('   ')).toEqual({ intent: 'unknown', slots: {} });
    expect(route('@_user_1')).toEqual({ intent: 'unknown', slots: {} });
  });
});

describe('routeIntent: things the bot does not serve', () => {
  it.each([
    '我想请明天一天年假', '我要请三天病假', '下周一我要休年假', '明天调休', '帮我撤销上周的请假申请',
    'I want to apply for sick leave tomorrow', 'Cancel my leave request', 'book 3 days of vacation',
    'can I take annual leave next Friday?', '清明节放几天假？', '五一 holiday 放几天', 'When is the next public holiday?',
    '报销单怎么提交', 'How do I submit an expense claim?', '我要开个税完税证明', '公积金怎么提取', '忘记打卡了怎么补卡',
    '电脑连不上VPN怎么办', 'What is the weather like today?', '明天上海会下雨吗', '讲个笑话吧', '帮我订一个会议室',
    '谁来审批我的请假', 'Who approves my leave?', 'who is my manager', '年假政策是什么', 'what is PTO',
    'remind me to submit my timesheet', '查询发放记录 6893014062142064135', 'thanks',
  ])('%s → unknown', (text) => {
    expect(route(text)).toEqual({ intent: 'unknown', slots: {} });
  });

  it('does not mistake pay requests for leave requests', () => {
    expect(route('I want to take a look at my payslip').intent).toBe('payslip');
    expect(route('can I request my payslip for Jan')).toEqual({ intent: 'payslip', slots: { month: '2025-01' } });
    expect(route('取消余额提醒').intent).toBe('reminder.unsubscribe');
  });

  it('still answers balance questions that mention taking leave', () => {
    expect(route('我还能请几天假').intent).toBe('leave.balance');
    expect(route('How many days of annual leave can I take?').intent).toBe('leave.balance');
    expect(route('请问我还有几天年假').intent).toBe('leave.balance');
  });
});

describe('routeIntent: slots', () => {
  it('gives only the slots of the chosen intent and never a null', () => {
    const cases = ['2024年的年假余额', '2025-01-15 工资条', '去年12月的奖金', '今年年假还剩几天', '请用英文回复'];
    for (const text of cases) {
      const { intent, slots } = routeIntent(text, OPTS);
      for (const [key, value] of Object.entries(slots)) {
        expect(SLOTS_BY_INTENT[intent]).toContain(key);
        expect(value).not.toBeNull();
      }
    }
    expect(route('今年年假还剩几天')).toEqual({ intent: 'leave.balance', slots: { leaveType: 'annual' } });
    expect(route('去年12月的奖金')).toEqual({ intent: 'lump_sum', slots: { year: 2024 } });
  });

  it('resolves asOf dates against now', () => {
    expect(route('截止到9月30日我有多少年假').slots).toEqual({ leaveType: 'annual', asOf: '2025-09-30' });
    expect(route('6月底的病假余额是多少').slots).toEqual({ leaveType: 'sick', asOf: '2025-06-30' });
  });

  it('fills an accrual edit, keeping the reason as written and out of the intent', () => {
    expect(route('Please adjust accrual record 7452345209777010690 to 1 day, expires 2025-05-31, reason: Manager approved')).toEqual({
      intent: 'accrual.edit',
      slots: { recordId: '7452345209777010690', quantity: '1', expirationDate: '2025-05-31', reason: 'Manager approved' },
    });
  });

  it('resolves months in the asker time zone', () => {
    const newYearsEve = new Date('2024-12-31T20:00:00Z');
    expect(route('last month payslip', { now: newYearsEve, timeZone: 'Asia/Shanghai' }).slots).toEqual({ month: '2024-12' });
    expect(route('last month payslip', { now: newYearsEve, timeZone: 'UTC' }).slots).toEqual({ month: '2024-11' });
    expect(route('Dec payslip', { now: new Date('2025-01-10T04:00:00Z'), timeZone: 'Asia/Shanghai' }).slots).toEqual({
      month: '2024-12',
    });
  });

  it("matches a tenant's own leave-type names", () => {
    const opts: RouteOptions = {
      ...OPTS,
      leaveTypes: [{ name: '带薪病假' }, { name: 'Floating Holiday' }, { name: '探亲假', code: 'personal' }],
    };
    expect(route('带薪病假还剩几天', opts)).toEqual({ intent: 'leave.balance', slots: { leaveType: 'sick' } });
    expect(route('探亲假余额', opts)).toEqual({ intent: 'leave.balance', slots: { leaveType: 'personal' } });
    expect(route('how many floating holiday days do I have left?', opts)).toEqual({ intent: 'leave.balance', slots: {} });
  });
});

describe('routeIntent: confidence', () => {
  it('is between 0 and 1, at or above the threshold for a served intent', () => {
    for (const text of ['payslip', '你好', 'hmm', '清明节放几天假？', '年假']) {
      const r = routeIntent(text, OPTS);
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
      if (r.intent !== 'unknown') expect(r.confidence).toBeGreaterThanOrEqual(THRESHOLD);
    }
    expect(routeIntent('我的年假余额', OPTS).confidence).toBeGreaterThan(routeIntent('年假', OPTS).confidence);
  });
});

describe('routeIntent: very long messages', () => {
  // Feishu accepts text messages up to 150 KB; matching such a message used to block the
  // event loop for many seconds (overlapping lexicon hits are compared pairwise).
  it('answers unknown for a 150 KB message at once instead of matching it', () => {
    // Speed is for `npm run bench`; here the behaviour: over the cap nothing is matched.
    const huge = `我的年假余额${'年假'.repeat(75_000)}`;
    expect(routeIntent(huge, OPTS)).toEqual({ intent: 'unknown', slots: {}, confidence: 0 });
  });

  it('still routes long but plausible messages under the cap', () => {
    const padded = `我的年假余额${'，'.repeat(MAX_ROUTED_CHARS - 10)}`;
    expect(padded.length).toBeLessThanOrEqual(MAX_ROUTED_CHARS);
    expect(route(padded)).toEqual({ intent: 'leave.balance', slots: { leaveType: 'annual' } });
  });
});

describe('relatedIntents: topics a message touches, for "did you mean"', () => {
  it.each([
    ['年终奖个税怎么算', ['lump_sum', 'payslip']],
    ['how do I claim tax on my bonus', ['lump_sum', 'payslip']],
    ['remindr me', ['reminder.subscribe']],
    ['我想请明天一天年假', ['leave.balance']],
    ['明天上海会下雨吗', []],
  ] as const)('%s → %j', (text, expected) => {
    expect(relatedIntents(text)).toEqual(expected);
  });
});
