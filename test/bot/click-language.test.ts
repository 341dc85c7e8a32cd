/**
 * The language of a click: the person's stored choice, else the language of the card they
 * clicked (the button value's `lc`), else DEFAULT_LOCALE; toasts follow. Cards a group
 * reads carry both languages (Card JSON 2.0 `i18n_content`, `config.locales`).
 */
import { describe, expect, it } from 'vitest';
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import { CLICK_LOCALE_FIELD } from '../../src/bot/actions/click-locale.js';
import { CARD_MAX_BYTES, CARD_MAX_COMPONENTS, cardBytes, cardComponents, type Card } from '../../src/feishu/card.js';
import { buttonsOf } from './accrual/harness.js';
import { cardClick, cardOf, makeBot, textMessage } from '../support/bot-harness.js';
import { installFeishuMock } from '../support/feishu-mock.js';
import type { PayslipResult } from '../../src/services/payslip.js';
import type { SelfService } from '../../src/services/self-service.js';

const mock = installFeishuMock();

const EN_HELP = 'What HR Assistant can do';
const ZH_HELP = 'HR 助手能帮你做什么';

/** DEFAULT_LOCALE is zh-CN in every test here, so English can only come from the person. */
const zhDefault = { env: { DEFAULT_LOCALE: 'zh-CN' } };

function titleOf(content: string): string | undefined {
  return cardOf(content).header?.title.content;
}

/** The run_intent button of `intent` on a sent card. */
function intentButton(content: string, intent: string): Record<string, unknown> {
  const found = buttonsOf(content).find((v) => v.action === RUN_INTENT_ACTION && v.intent === intent);
  if (!found) throw new Error(`no ${intent} button`);
  return found;
}

describe('the language of a click', () => {
  it('answers an English speaker in English, clicks and toasts alike, with DEFAULT_LOCALE=zh-CN and nothing stored', async () => {
    const { bot, store, keys } = makeBot(mock, zhDefault);
    await bot.onMessage(textMessage('what can you do'));
    const help = mock.sent[0]!;
    expect(titleOf(help.content)).toBe(EN_HELP);
    expect(await store.get(keys.userLocale('ou_alice'))).toBeNull();
    // Every button on the English card says so.
    for (const value of buttonsOf(help.content)) expect(value[CLICK_LOCALE_FIELD]).toBe('en-US');

    // "Reminders" posts a new card: English, and the toast too.
    const result = await bot.onCardAction(cardClick(intentButton(help.content, 'reminder.subscribe'), { openMessageId: help.messageId }));
    expect(result.toast).toEqual({ type: 'success', content: 'Done' });
    expect(titleOf(mock.sent.at(-1)!.content)).toMatch(/^[\x20-\x7e]+$/);

    // A "did you mean" button on an English "I did not get that" card.
    await bot.onMessage(textMessage('weather tomorrow please'));
    const unknown = mock.sent.at(-1)!;
    expect(titleOf(unknown.content)).toBe('I did not quite get that');
    const helpClick = await bot.onCardAction(cardClick(intentButton(unknown.content, 'help'), { openMessageId: unknown.messageId }));
    expect(helpClick.toast?.content).toBe('Done');
    expect(titleOf(mock.sent.at(-1)!.content)).toBe(EN_HELP);
  });

  it('a refresh toast and the refreshed card are English from the button value alone', async () => {
    const selfService = payslipService();
    const { bot } = makeBot(mock, { ...zhDefault, extra: { selfService } });
    await bot.onMessage(textMessage('my payslip'));
    const own = mock.sent[0]!;
    expect(titleOf(own.content)).toMatch(/payslip/i);
    const click = cardClick(intentButton(own.content, 'payslip'), { openMessageId: own.messageId });
    const result = await bot.onCardAction(click);
    expect(result.toast).toEqual({ type: 'success', content: 'Refreshing; the card will update in a moment' });
    await bot.onCardFollowUp(click);
    const update = mock.updates.at(-1)!;
    expect(update.kind === 'patch' && titleOf(update.content)).toMatch(/payslip/i);
  });

  it("the stored choice wins over the card's language", async () => {
    const { bot, store, keys } = makeBot(mock, zhDefault);
    await store.set(keys.userLocale('ou_alice'), 'en-US');
    const value = { action: RUN_INTENT_ACTION, intent: 'help', slots: '{}', placement: 'new', [CLICK_LOCALE_FIELD]: 'zh-CN' };
    const result = await bot.onCardAction(cardClick(value));
    expect(result.toast?.content).toBe('Done');
    expect(titleOf(mock.sent.at(-1)!.content)).toBe(EN_HELP);
  });

  it('falls back to DEFAULT_LOCALE without a language in the value, and ignores one that is not a locale', async () => {
    const { bot } = makeBot(mock, zhDefault);
    for (const lc of [undefined, 'fr-FR', 42]) {
      const value = { action: RUN_INTENT_ACTION, intent: 'help', slots: '{}', placement: 'new', ...(lc === undefined ? {} : { [CLICK_LOCALE_FIELD]: lc }) };
      const result = await bot.onCardAction(cardClick(value));
      expect(result.toast?.content).toBe('已完成');
      expect(titleOf(mock.sent.at(-1)!.content)).toBe(ZH_HELP);
    }
  });

  it('an invalid button answers its toast in the language of the card', async () => {
    const { bot } = makeBot(mock, zhDefault);
    const result = await bot.onCardAction(cardClick({ action: 'no_such_action', [CLICK_LOCALE_FIELD]: 'en-US' }));
    expect(result.toast).toEqual({ type: 'error', content: 'This button is no longer valid. Please send your question again.' });
  });
});

describe('cards a group reads carry both languages', () => {
  const inGroup = (text: string) =>
    textMessage(`@_user_1 ${text}`, { chatType: 'group', chatId: 'oc_group', mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'HR bot' }] });

  it('help in a group: header, texts and buttons in zh_cn and en_us, config.locales, no language on the buttons', async () => {
    const { bot } = makeBot(mock, zhDefault);
    await bot.onMessage(inGroup('help'));
    const reply = mock.sent.at(-1)!;
    expect(reply.replyTo).toBeDefined();
    const card = JSON.parse(reply.content) as Card;
    expect(card.config?.locales).toEqual(['zh_cn', 'en_us']);
    expect(card.header?.title.content).toBe(ZH_HELP);
    expect(card.header?.title.i18n_content).toEqual({ zh_cn: ZH_HELP, en_us: EN_HELP });
    expect(card.config?.summary?.i18n_content).toEqual({ zh_cn: ZH_HELP, en_us: EN_HELP });
    const texts = JSON.stringify(card.body.elements);
    expect(texts).toContain('"en_us":"Leave balance');
    expect(texts).toMatch(/"zh_cn":"[^"]*假/);
    for (const value of buttonsOf(reply.content)) expect(value).not.toHaveProperty(CLICK_LOCALE_FIELD);
    // No "switch to the other language" button: which language is "other" depends on the reader.
    expect(buttonsOf(reply.content).some((v) => v.intent === 'language.set')).toBe(false);
    expect(cardBytes(card)).toBeLessThan(CARD_MAX_BYTES);
    expect(cardComponents(card)).toBeLessThanOrEqual(CARD_MAX_COMPONENTS);
  });

  it('the privacy notice in a group is bilingual; the data itself goes to the asker in their language', async () => {
    const { bot } = makeBot(mock, { ...zhDefault, extra: { selfService: payslipService() } });
    await bot.onMessage(inGroup('payslip please'));
    const privately = mock.sent.find((m) => m.receiveIdType === 'open_id')!;
    expect(titleOf(privately.content)).toMatch(/payslip/i);
    const notice = JSON.parse(mock.sent.find((m) => m.replyTo !== undefined)!.content) as Card;
    expect(notice.header?.title.i18n_content).toEqual({ zh_cn: '已私聊发送', en_us: 'Sent privately' });
    expect(notice.config?.locales).toEqual(['zh_cn', 'en_us']);
  });

  it('a private answer stays in one language', async () => {
    const { bot } = makeBot(mock, zhDefault);
    await bot.onMessage(textMessage('help'));
    const card = JSON.parse(mock.sent.at(-1)!.content) as Card;
    expect(card.config?.locales).toBeUndefined();
    expect(JSON.stringify(card)).not.toContain('i18n_content');
  });
});

function payslipService(): SelfService {
  const payslip = async (): Promise<PayslipResult> => ({
    asked: {},
    month: '2025-01',
    searched: ['2025-01'],
    payments: [{ activityId: 'a1', items: [{ id: 'net', name: { 'en-US': 'Net pay', 'zh-CN': '实发' }, type: 'amount', value: '100' }] }],
  });
  return {
    payslip,
    leaveBalances: () => Promise.reject(new Error('not used')),
    lumpSums: () => Promise.reject(new Error('not used')),
  };
}
