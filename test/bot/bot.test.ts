import { describe, expect, it } from 'vitest';
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import type { LeaveBalanceResult } from '../../src/services/leave.js';
import type { LumpSumResult } from '../../src/services/lump-sum.js';
import type { PayslipResult } from '../../src/services/payslip.js';
import type { SelfService } from '../../src/services/self-service.js';
import { BOT_OPEN_ID, feishuError, installFeishuMock } from '../support/feishu-mock.js';
import { http } from 'msw';
import { cardClick, cardOf, makeBot, textMessage } from '../support/bot-harness.js';

const mock = installFeishuMock();

/** The figure every fake answer carries, as cards print it. */
const FIGURE = /12,?345\.67/;

/** Self-service that answers with the asker's id in every name and one figure, to check who sees what. */
function recordingSelfService(): SelfService & { askers: string[]; slots: unknown[] } {
  const askers: string[] = [];
  const slots: unknown[] = [];
  // Cards escape `_` in names, so the name carries the person without the `ou_` prefix.
  const named = (kind: string, openId: string) => {
    const who = `${kind} for ${openId.replace(/^ou_/, '')}`;
    return { 'en-US': who, 'zh-CN': who };
  };
  return {
    askers,
    slots,
    async leaveBalances(openId, asked): Promise<LeaveBalanceResult> {
      askers.push(openId);
      slots.push(asked);
      return {
        provider: 'feishu',
        asked,
        highlighted: [],
        balances: [
          {
            leaveTypeId: '7001',
            name: named('leave', openId),
            code: 'annual',
            unit: 'day',
            figures: { kind: 'cycle', balance: 12345.67, carriedOver: 0, grantedThisCycle: 0, taken: 0 },
          },
        ],
      };
    },
    async payslip(openId, asked): Promise<PayslipResult> {
      askers.push(openId);
      slots.push(asked);
      return {
        asked,
        month: '2025-01',
        searched: ['2025-01'],
        payments: [{ activityId: 'a1', items: [{ id: 'net', name: named('payslip', openId), type: 'amount', value: '12345.67' }] }],
      };
    },
    async lumpSums(openId, asked): Promise<LumpSumResult> {
      askers.push(openId);
      slots.push(asked);
      return {
        asked,
        year: undefined,
        payments: [
          {
            id: 'l1',
            totalAmount: '12345.67',
            itemId: undefined,
            remark: undefined,
            description: named('lump', openId),
            referencePeriod: { start: undefined, end: undefined },
            createdAt: '2025-01-01',
            issuances: [],
          },
        ],
      };
    },
  };
}

function allText(content: string): string {
  return JSON.stringify(cardOf(content));
}

describe('bot: messages', () => {
  it('answers "help" in a private chat with one help card with working buttons', async () => {
    const { bot } = makeBot(mock);
    const msg = textMessage('help');
    await bot.onMessage(msg);
    expect(mock.sent).toHaveLength(1);
    const sent = mock.sent[0]!;
    expect(sent.replyTo).toBe(msg.messageId);
    expect(sent.msgType).toBe('interactive');
    const card = cardOf(sent.content);
    expect(card.schema).toBe('2.0');
    expect(card.header?.title.content).toBe('What HR Assistant can do');
    expect(allText(sent.content)).toContain(RUN_INTENT_ACTION);
    expect(Buffer.byteLength(sent.content)).toBeLessThan(30 * 1024);
  });

  it('replies in the language of the message, and the stored choice wins afterwards', async () => {
    const { bot, store, keys } = makeBot(mock);
    await bot.onMessage(textMessage('你好'));
    expect(cardOf(mock.sent[0]!.content).header?.title.content).toBe('HR 助手能帮你做什么');

    await bot.onMessage(textMessage('Switch to English'));
    expect(await store.get(keys.userLocale('ou_alice'))).toBe('en-US');
    expect(cardOf(mock.sent[1]!.content).header?.title.content).toBe('Language changed');

    await bot.onMessage(textMessage('菜单'));
    expect(cardOf(mock.sent[2]!.content).header?.title.content).toBe('What HR Assistant can do');
  });

  it('uses DEFAULT_LOCALE when the message has no letters', async () => {
    const { bot } = makeBot(mock, { env: { DEFAULT_LOCALE: 'en-US' } });
    await bot.onMessage(textMessage('🙂🙂'));
    expect(cardOf(mock.sent[0]!.content).header?.title.content).toBe('I did not quite get that');
  });

  it('never stays silent on things it does not serve, and offers close intents', async () => {
    const { bot } = makeBot(mock);
    await bot.onMessage(textMessage('明天上海会下雨吗'));
    expect(mock.sent).toHaveLength(1);
    const text = allText(mock.sent[0]!.content);
    expect(cardOf(mock.sent[0]!.content).header?.title.content).toBe('我没太明白');
    expect(text).toContain('你是不是想');
    expect(text).toContain('leave.balance');
  });

  it('puts the intents a message hints at first in "did you mean"', async () => {
    const { bot } = makeBot(mock);
    await bot.onMessage(textMessage('bonus tax certificate please'));
    const card = cardOf(mock.sent[0]!.content);
    const json = JSON.stringify(card);
    expect(json.indexOf('lump_sum')).toBeGreaterThan(-1);
    expect(json.indexOf('lump_sum')).toBeLessThan(json.indexOf('leave.balance'));
  });

  it('answers images and files with a "text only" card', async () => {
    const { bot } = makeBot(mock);
    await bot.onMessage(textMessage('', { messageType: 'image', content: '{"image_key":"img_1"}' }));
    expect(allText(mock.sent[0]!.content)).toContain('文字');
  });

  it('ignores messages from apps and group messages that do not mention it', async () => {
    const { bot } = makeBot(mock);
    await bot.onMessage(textMessage('help', { senderType: 'app' }));
    await bot.onMessage(textMessage('help', { chatType: 'group', chatId: 'oc_group' }));
    expect(mock.calls.filter((c) => c.path.startsWith('/open-apis/im/'))).toHaveLength(0);
  });

  it('does not answer an @all announcement in a group, but does when it is mentioned as well', async () => {
    const { bot } = makeBot(mock);
    const everyone = { key: '@_all', name: '所有人' };
    await bot.onMessage(textMessage('@_all 明天下午三点开会', { chatType: 'group', chatId: 'oc_group', mentions: [everyone] }));
    expect(mock.sent).toHaveLength(0);
    await bot.onMessage(
      textMessage('@_all @_user_1 help', {
        chatType: 'group',
        chatId: 'oc_group',
        mentions: [everyone, { key: '@_user_1', openId: 'ou_bot', name: 'HR bot' }],
      }),
    );
    expect(mock.sent).toHaveLength(1);
  });

  it('stores reminder opt-ins and opt-outs, and names the next scheduled reminder', async () => {
    const { bot, store, keys } = makeBot(mock);
    await store.addToSet(keys.reminderOptOuts(), 'ou_alice');
    await bot.onMessage(textMessage('开启假期余额提醒'));
    expect(await store.isInSet(keys.reminderSubscribers(), 'ou_alice')).toBe(true);
    expect(await store.isInSet(keys.reminderOptOuts(), 'ou_alice')).toBe(false);
    expect(allText(mock.sent[0]!.content)).toContain('下次提醒');
    expect(allText(mock.sent[0]!.content)).not.toContain('尚未开启');
    await bot.onMessage(textMessage('Turn off balance reminders'));
    expect(await store.isInSet(keys.reminderSubscribers(), 'ou_alice')).toBe(false);
    expect(await store.isInSet(keys.reminderOptOuts(), 'ou_alice')).toBe(true);
  });

  it('says "coming soon" for self-service when no provider is wired', async () => {
    const { bot } = makeBot(mock);
    await bot.onMessage(textMessage('payslip Jan'));
    expect(allText(mock.sent[0]!.content)).toContain('coming soon');
  });

  it('tells non-HR people that accrual edits are for HR', async () => {
    const { bot } = makeBot(mock, { env: { HR_REQUESTERS: 'ou_hr' } });
    await bot.onMessage(textMessage('修改发放记录 7479528644154553216，数量改为 5 天'));
    expect(allText(mock.sent[0]!.content)).toContain('只有 HR');
  });
});

describe('bot: groups', () => {
  it('answers only when the bot itself is mentioned, learning its open_id once', async () => {
    const { bot } = makeBot(mock);
    const group = { chatType: 'group', chatId: 'oc_group' } as const;
    await bot.onMessage(textMessage('@_user_1 help', { ...group, mentions: [{ key: '@_user_1', openId: 'ou_colleague', name: 'Bob' }] }));
    expect(mock.sent).toHaveLength(0);
    await bot.onMessage(textMessage('@_user_1 help', { ...group, mentions: [{ key: '@_user_1', openId: BOT_OPEN_ID, name: 'HR' }] }));
    await bot.onMessage(textMessage('@_user_2 菜单', { ...group, mentions: [{ key: '@_user_2', openId: BOT_OPEN_ID, name: 'HR' }] }));
    expect(mock.sent).toHaveLength(2);
    expect(mock.callsTo('/open-apis/bot/v3/info')).toHaveLength(1);
  });

  it('falls back to any mention while Feishu cannot say who the bot is', async () => {
    mock.use(http.get(`${mock.baseUrl}/open-apis/bot/v3/info`, () => feishuError(400, 99991672, 'scope missing')));
    const { bot } = makeBot(mock);
    await bot.onMessage(
      textMessage('@_user_1 help', { chatType: 'group', chatId: 'oc_group', mentions: [{ key: '@_user_1', openId: 'ou_someone' }] }),
    );
    expect(mock.sent).toHaveLength(1);
  });
});

describe("bot: the tenant's own leave types", () => {
  it('understands a leave type by the name the tenant gave it, once the names are cached', async () => {
    const selfService = recordingSelfService();
    const { bot, store, keys } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('我的健康假还剩几天'));
    await store.set(
      keys.leaveTypes(),
      JSON.stringify([{ id: '7001', names: [{ lang: 'zh-CN', value: '健康假' }, { lang: 'en-US', value: 'Sick Leave (Wellness)' }] }]),
    );
    await bot.onMessage(textMessage('我的健康假还剩几天'));
    expect(selfService.slots).toEqual([{}, { leaveType: 'sick' }]);
  });
});

describe('bot: HR data goes only to its owner, by open_id', () => {
  const imCalls = () => mock.calls.filter((c) => c.path.startsWith('/open-apis/im/'));

  it('in a group, sends the payslip to the asker by open_id and posts a notice without figures', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    const msg = textMessage('@_user_1 payslip Jan', {
      chatType: 'group',
      chatId: 'oc_group',
      mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'HR bot' }],
    });
    await bot.onMessage(msg);
    expect(selfService.askers).toEqual(['ou_alice']);
    const privateSend = mock.sent.find((m) => m.receiveIdType === 'open_id');
    const groupReply = mock.sent.find((m) => m.replyTo === msg.messageId);
    expect(privateSend?.receiveId).toBe('ou_alice');
    expect(privateSend?.content).toMatch(FIGURE);
    expect(groupReply).toBeDefined();
    expect(groupReply!.content).not.toMatch(/\d{3}/);
    expect(mock.sent).toHaveLength(2);
  });

  it('in a private chat, sends the answer by open_id too: never a reply to the event-named message', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('我还有几天年假'));
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_alice' });
    expect(mock.sent[0]!.replyTo).toBeUndefined();
    expect(mock.sent[0]!.content).toContain('leave for alice');
    expect(mock.callsTo('/open-apis/im/v1/messages/').filter((c) => c.path.endsWith('/reply'))).toHaveLength(0);
  });

  it('pay cards cannot be forwarded', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('payslip'));
    await bot.onMessage(textMessage('my bonus payments'));
    expect(mock.sent).toHaveLength(2);
    for (const m of mock.sent) expect(JSON.parse(m.content).config.enable_forward).toBe(false);
  });

  it('a refresh of a card the bot sent to the clicker toasts, then updates that card after the answer', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('payslip'));
    const own = mock.sent[0]!;
    const click = cardClick({ action: RUN_INTENT_ACTION, intent: 'payslip', slots: '{}', placement: 'replace' }, { openMessageId: own.messageId });
    const result = await bot.onCardAction(click);
    expect(result).toMatchObject({ toast: { type: 'success' }, followUp: true });
    expect(result.card).toBeUndefined();
    expect(JSON.stringify(result)).not.toMatch(FIGURE);
    await bot.onCardFollowUp(click);
    expect(mock.updates).toHaveLength(1);
    expect(mock.updates[0]).toMatchObject({ kind: 'patch', messageId: own.messageId });
    expect(mock.updates[0]!.kind === 'patch' && mock.updates[0]!.content).toMatch(FIGURE);
    expect(mock.sent).toHaveLength(1);
  });

  it('a refresh of a card the bot sent to somebody else never updates it: the clicker gets a new message', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('payslip'));
    const alices = mock.sent[0]!;
    const click = cardClick(
      { action: RUN_INTENT_ACTION, intent: 'payslip', slots: '{}' },
      { operatorOpenId: 'ou_mallory', openMessageId: alices.messageId, openChatId: 'oc_p2p_alice' },
    );
    expect((await bot.onCardAction(click)).card).toBeUndefined();
    await bot.onCardFollowUp(click);
    expect(mock.updates).toHaveLength(0);
    expect(mock.sent.at(-1)).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_mallory' });
    expect(mock.sent.at(-1)!.content).toContain('payslip for mallory');
    expect(mock.sent.at(-1)!.content).not.toContain('for alice');
  });

  it('a refresh click answers for the clicker, never for anyone named in the value', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    const click = cardClick(
      { action: RUN_INTENT_ACTION, intent: 'payslip', slots: JSON.stringify({ month: '2025-01', openId: 'ou_alice' }), open_id: 'ou_alice' },
      { operatorOpenId: 'ou_mallory', openChatId: 'oc_p2p_mallory' },
    );
    const result = await bot.onCardAction(click);
    await bot.onCardFollowUp(click);
    expect(selfService.askers).toEqual(['ou_mallory']);
    expect(selfService.slots).toEqual([{ month: '2025-01' }]);
    expect(JSON.stringify(result)).not.toContain('ou_alice');
    expect(mock.sent.map((m) => [m.receiveIdType, m.receiveId])).toEqual([['open_id', 'ou_mallory']]);
  });

  it('a click on a card in a group only toasts there; the data follows to the clicker by open_id', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    const click = cardClick({ action: RUN_INTENT_ACTION, intent: 'lump_sum', slots: '{}', placement: 'new' }, { operatorOpenId: 'ou_bob', openChatId: 'oc_group' });
    const result = await bot.onCardAction(click);
    expect(result.card).toBeUndefined();
    expect(result.toast?.type).toBe('success');
    expect(mock.sent).toHaveLength(0);
    await bot.onCardFollowUp(click);
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_bob' });
    expect(imCalls().every((c) => c.query.get('receive_id_type') === 'open_id')).toBe(true);
  });

  it.each([
    [{ action: 'approve', intent: 'payslip' }],
    [{ action: RUN_INTENT_ACTION, intent: 'payslip', slots: '{not json' }],
    [{ action: RUN_INTENT_ACTION, intent: 'payslip', slots: JSON.stringify({ month: '2025-13' }) }],
    [{ action: RUN_INTENT_ACTION, intent: 'drop_tables', slots: '{}' }],
    [{ action: RUN_INTENT_ACTION, intent: 'accrual.edit', slots: JSON.stringify({ recordId: '6893014062142064135' }) }],
    [{ action: RUN_INTENT_ACTION, intent: 'unknown', slots: '{}' }],
    [{ action: RUN_INTENT_ACTION, intent: 'payslip', slots: '[1,2]' }],
    [{}],
  ])('refuses a forged or stale button value %j with an error toast and no data', async (value) => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    const click = cardClick(value);
    const result = await bot.onCardAction(click);
    expect(result.toast?.type).toBe('error');
    expect(result.card).toBeUndefined();
    expect(result.followUp).toBeUndefined();
    await bot.onCardFollowUp(click);
    expect(selfService.askers).toEqual([]);
    expect(mock.sent).toHaveLength(0);
  });

  it('help buttons post a new card for the clicker and leave the menu in place', async () => {
    const { bot } = makeBot(mock);
    await bot.onMessage(textMessage('hi'));
    const result = await bot.onCardAction(
      cardClick({ action: RUN_INTENT_ACTION, intent: 'language.set', slots: JSON.stringify({ locale: 'en-US' }), placement: 'new' }),
    );
    expect(result.toast?.content).toBe('Done');
    expect(cardOf(mock.sent.at(-1)!.content).header?.title.content).toBe('Language changed');
    expect(mock.sent.at(-1)!.receiveId).toBe('ou_alice');
  });
});
