import { describe, expect, it } from 'vitest';
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import type { Card } from '../../cards/types.js';
import type { SelfServiceCommands } from '../../src/bot/dispatch.js';
import type { BotContext, Reply } from '../../src/bot/context.js';
import { BOT_OPEN_ID, feishuError, installFeishuMock } from '../support/feishu-mock.js';
import { http } from 'msw';
import { cardClick, cardOf, makeBot, textMessage } from '../support/bot-harness.js';

const mock = installFeishuMock();

/** Self-service that answers with the asker's id and a figure, to check who sees what. */
function recordingSelfService(): SelfServiceCommands & { askers: string[] } {
  const askers: string[] = [];
  const answer = (kind: string) => async (ctx: BotContext): Promise<Reply> => {
    askers.push(ctx.openId);
    const card: Card = {
      schema: '2.0',
      header: { title: { tag: 'plain_text', content: kind } },
      body: { elements: [{ tag: 'markdown', content: `${kind} for ${ctx.openId}: 12345.67` }] },
    };
    return { card, sensitive: true };
  };
  return { askers, leaveBalance: answer('leave'), payslip: answer('payslip'), lumpSum: answer('lump') };
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

  it('stores reminder subscriptions and opt-outs', async () => {
    const { bot, store, keys } = makeBot(mock);
    await bot.onMessage(textMessage('开启假期余额提醒'));
    expect(await store.isInSet(keys.reminderSubscribers(), 'ou_alice')).toBe(true);
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
    const asked: unknown[] = [];
    const { bot, store, keys } = makeBot(mock, {
      extra: {
        selfService: {
          ...selfService,
          leaveBalance: async (ctx, slots) => {
            asked.push(slots);
            return selfService.leaveBalance(ctx, slots);
          },
        },
      },
    });
    await bot.onMessage(textMessage('我的健康假还剩几天'));
    await store.set(
      keys.leaveTypes(),
      JSON.stringify([{ id: '7001', names: [{ lang: 'zh-CN', value: '健康假' }, { lang: 'en-US', value: 'Sick Leave (Wellness)' }] }]),
    );
    await bot.onMessage(textMessage('我的健康假还剩几天'));
    expect(asked).toEqual([{}, { leaveType: 'sick' }]);
  });
});

describe('bot: privacy of HR data', () => {
  it('in a group, sends the payslip privately and posts a notice without figures', async () => {
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
    expect(privateSend?.content).toContain('12345.67');
    expect(groupReply).toBeDefined();
    expect(groupReply!.content).not.toMatch(/\d{3}/);
    expect(mock.sent).toHaveLength(2);
  });

  it('after a private send, a refresh in that private chat updates the card in place', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(
      textMessage('@_user_1 payslip', { chatType: 'group', chatId: 'oc_group', mentions: [{ key: '@_user_1', openId: 'ou_bot' }] }),
    );
    const sentTo = mock.sent.find((m) => m.receiveIdType === 'open_id');
    expect(sentTo?.receiveId).toBe('ou_alice');
    const result = await bot.onCardAction(
      cardClick({ action: RUN_INTENT_ACTION, intent: 'payslip', slots: '{}' }, { openChatId: 'oc_p2p_of_ou_alice' }),
    );
    expect(JSON.stringify(result.card)).toContain('payslip for ou_alice');
    expect(mock.sent).toHaveLength(2);
  });

  it('answers in place in the private chat', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('我还有几天年假'));
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.content).toContain('leave for ou_alice');
  });

  it('a refresh click answers for the clicker, never for anyone named in the value', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('payslip', { senderOpenId: 'ou_mallory', chatId: 'oc_p2p_mallory' }));
    const result = await bot.onCardAction(
      cardClick(
        { action: RUN_INTENT_ACTION, intent: 'payslip', slots: JSON.stringify({ month: '2025-01', openId: 'ou_alice' }), open_id: 'ou_alice' },
        { operatorOpenId: 'ou_mallory', openChatId: 'oc_p2p_mallory' },
      ),
    );
    expect(selfService.askers).toEqual(['ou_mallory', 'ou_mallory']);
    expect(JSON.stringify(result.card)).toContain('payslip for ou_mallory');
    expect(JSON.stringify(result)).not.toContain('ou_alice');
  });

  it('a click on a card in a group sends the data privately and only toasts in the group', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    const result = await bot.onCardAction(
      cardClick({ action: RUN_INTENT_ACTION, intent: 'payslip', slots: '{}' }, { operatorOpenId: 'ou_bob', openChatId: 'oc_group' }),
    );
    expect(result.card).toBeUndefined();
    expect(result.toast?.type).toBe('success');
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.receiveIdType).toBe('open_id');
    expect(mock.sent[0]!.receiveId).toBe('ou_bob');
  });

  it('a forged chat id that is not the clicker\'s private chat is treated as a group', async () => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    await bot.onMessage(textMessage('hi', { senderOpenId: 'ou_bob', chatId: 'oc_p2p_bob' }));
    const result = await bot.onCardAction(
      cardClick({ action: RUN_INTENT_ACTION, intent: 'lump_sum', slots: '{}' }, { operatorOpenId: 'ou_bob', openChatId: 'oc_p2p_alice' }),
    );
    expect(result.card).toBeUndefined();
    expect(mock.sent.at(-1)!.receiveId).toBe('ou_bob');
  });

  it.each([
    [{ action: 'approve', intent: 'payslip' }],
    [{ action: RUN_INTENT_ACTION, intent: 'payslip', slots: '{not json' }],
    [{ action: RUN_INTENT_ACTION, intent: 'payslip', slots: JSON.stringify({ month: '2025-13' }) }],
    [{ action: RUN_INTENT_ACTION, intent: 'drop_tables', slots: '{}' }],
    [{ action: RUN_INTENT_ACTION, intent: 'accrual.edit', slots: JSON.stringify({ recordId: '6893014062142064135' }) }],
    [{ action: RUN_INTENT_ACTION, intent: 'payslip', slots: '[1,2]' }],
    [{}],
  ])('refuses a forged or stale button value %j with an error toast and no data', async (value) => {
    const selfService = recordingSelfService();
    const { bot } = makeBot(mock, { extra: { selfService } });
    const result = await bot.onCardAction(cardClick(value));
    expect(result.toast?.type).toBe('error');
    expect(result.card).toBeUndefined();
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
