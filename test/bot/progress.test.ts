/**
 * Visible progress: when the payroll slot (1 call/s for the whole app) is seconds away, the
 * asker at once gets a "looking it up" card by open_id, which the answer then replaces in
 * place (PATCH of that very message); a quick answer comes without it.
 */
import { delay, http } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { createLimitRules } from '../../src/feishu/limits.js';
import { createSelfService } from '../../src/services/self-service.js';
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import { CLICK_LOCALE_FIELD } from '../../src/bot/actions/click-locale.js';
import { buttonsOf } from './accrual/harness.js';
import { cardClick, makeBot, textMessage } from '../support/bot-harness.js';
import { installFeishuMock } from '../support/feishu-mock.js';
import { ASKER, createGuard, seedHandlers, type Guard } from '../support/self-service.js';

const mock = installFeishuMock();
let guard: Guard;

/** A bot with real self-service against the seed fakes; the progress timer as given (default 1 s). */
function setup(progressAfterMs?: number) {
  guard = createGuard();
  mock.use(...seedHandlers(mock, guard));
  const h = makeBot(mock);
  const selfService = createSelfService({ ...h.deps, feishu: h.deps.feishu });
  return { ...h, bot: createBot({ ...h.deps, selfService, ...(progressAfterMs === undefined ? {} : { progressAfterMs }) }) };
}

afterEach(() => expect(guard.violations).toEqual([]));

const FIGURES = /12,000|9,876/;
const imCalls = () => mock.calls.filter((c) => c.path.startsWith('/open-apis/im/v1/messages'));

describe('progress while an answer waits', () => {
  it('a payroll slot seconds away: "looking it up" by open_id at once, then a PATCH of that message with the payslip', async () => {
    // The timer is out of the way (a minute): only the limiter's report of a long wait can show progress.
    const { bot, store, config } = setup(60_000);
    // Other people's payroll calls hold the next three slots (the store is the shared limiter).
    const payroll = createLimitRules(config.feishu.appId)('payroll.paymentDetail');
    for (let i = 0; i < 3; i++) expect((await store.schedule(payroll, 60_000)).reserved).toBe(true);

    await bot.onMessage(textMessage('payslip Jan', { senderOpenId: ASKER }));

    const im = imCalls();
    expect(im.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /open-apis/im/v1/messages',
      `PATCH /open-apis/im/v1/messages/${mock.sent[0]!.messageId}`,
    ]);
    const [create, patch] = im;
    expect(create!.query.get('receive_id_type')).toBe('open_id');
    expect((create!.body as { receive_id: string }).receive_id).toBe(ASKER);
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.content).toContain('Looking it up');
    expect(mock.sent[0]!.content).not.toMatch(FIGURES);
    // The answer went into the placeholder, after the payroll call.
    const payrollCall = mock.calls.find((c) => c.path === '/open-apis/payroll/v1/payment_detail/query')!;
    expect(payrollCall.at).toBeGreaterThanOrEqual(create!.at);
    expect(patch!.at).toBeGreaterThanOrEqual(payrollCall.at);
    expect(mock.updates).toHaveLength(1);
    const update = mock.updates[0]!;
    expect(update.kind === 'patch' && update.messageId).toBe(mock.sent[0]!.messageId);
    expect(update.kind === 'patch' && update.content).toMatch(FIGURES);
  });

  it('a quick answer comes as one message, without a placeholder', async () => {
    const { bot } = setup();
    await bot.onMessage(textMessage('payslip Jan', { senderOpenId: ASKER }));
    expect(imCalls().map((c) => c.method)).toEqual(['POST']);
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.content).toMatch(FIGURES);
    expect(mock.updates).toHaveLength(0);
  });

  it('answers without HR data never get a placeholder, however long the wait', async () => {
    const { bot } = setup(0);
    await bot.onMessage(textMessage('help', { senderOpenId: ASKER }));
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.content).not.toContain('Looking it up');
  });

  it('a slow upstream (no limiter wait) shows progress after a second, then the answer replaces it', async () => {
    const { bot } = setup();
    // Payroll itself is slow: its answer comes half a second after the one-second timer.
    mock.use(
      http.post(`${mock.baseUrl}/open-apis/payroll/v1/payment_detail/query`, async () => {
        await delay(1_500);
        return undefined; // on to the seed handler, which answers
      }),
    );
    await bot.onMessage(textMessage('payslip Jan', { senderOpenId: ASKER }));
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.content).toContain('Looking it up');
    expect(mock.updates).toEqual([expect.objectContaining({ kind: 'patch', messageId: mock.sent[0]!.messageId })]);
  });
});

describe('progress after a card click', () => {
  /** The asker's payslip card (a quick answer), and its "payslip" (Refresh) button. */
  async function payslipCardOf(bot: ReturnType<typeof setup>['bot']) {
    await bot.onMessage(textMessage('payslip Jan', { senderOpenId: ASKER }));
    const card = mock.sent.at(-1)!;
    const refresh = buttonsOf(card.content).find((v) => v.action === RUN_INTENT_ACTION && v.intent === 'payslip');
    expect(refresh, 'the payslip card has a Refresh button').toBeDefined();
    return { card, refresh: refresh! };
  }

  async function holdPayrollSlots(h: ReturnType<typeof setup>, n: number) {
    const payroll = createLimitRules(h.config.feishu.appId)('payroll.paymentDetail');
    for (let i = 0; i < n; i++) expect((await h.store.schedule(payroll, 60_000)).reserved).toBe(true);
  }

  it('Refresh on their own card with the payroll slot seconds away: that card turns into "looking it up" at once, then the answer PATCHes it', async () => {
    const h = setup(60_000);
    const { card, refresh } = await payslipCardOf(h.bot);
    const before = mock.calls.length;
    const sentBefore = mock.sent.length;
    await holdPayrollSlots(h, 3);

    // The click says it came from a group chat: nothing goes there.
    const click = cardClick(refresh, { operatorOpenId: ASKER, openMessageId: card.messageId, openChatId: 'oc_group_chat' });
    const answer = await h.bot.onCardAction(click);
    expect(answer).toMatchObject({ followUp: true });
    expect(JSON.stringify(answer)).not.toMatch(FIGURES);
    await h.bot.onCardFollowUp(click);

    const im = mock.calls.slice(before).filter((c) => c.path.startsWith('/open-apis/im/v1/messages'));
    expect(im.map((c) => `${c.method} ${c.path}`)).toEqual([`PATCH /open-apis/im/v1/messages/${card.messageId}`, `PATCH /open-apis/im/v1/messages/${card.messageId}`]);
    expect(mock.sent).toHaveLength(sentBefore);
    const [progress, answered] = mock.updates.slice(-2);
    expect(progress!.kind === 'patch' && progress!.content).toContain('Looking it up');
    expect(progress!.kind === 'patch' && progress!.content).not.toMatch(FIGURES);
    expect(answered!.kind === 'patch' && answered!.content).toMatch(FIGURES);
    const payrollCalls = mock.calls.slice(before).filter((c) => c.path === '/open-apis/payroll/v1/payment_detail/query');
    expect(payrollCalls).toHaveLength(1);
    expect(payrollCalls[0]!.at).toBeGreaterThanOrEqual(im[0]!.at);
    expect(im[1]!.at).toBeGreaterThanOrEqual(payrollCalls[0]!.at);
    expect(JSON.stringify(mock.calls.map((c) => [c.query.toString(), c.body]))).not.toContain('oc_group_chat');
  });

  it.each([
    ['a "payslip" button that posts a new card (help, "did you mean")', 'new', 'om_help_card_in_a_group'],
    ['a Refresh on a card that is not the clicker’s own', 'replace', 'om_somebody_elses_card'],
  ] as const)('%s, slow: "looking it up" created by open_id, then a PATCH of that message', async (_what, placement, openMessageId) => {
    const h = setup(60_000);
    await payslipCardOf(h.bot); // caches the employment id, as any earlier ask would
    const before = mock.calls.length;
    await holdPayrollSlots(h, 2);
    const click = cardClick(
      { action: RUN_INTENT_ACTION, intent: 'payslip', slots: JSON.stringify({ month: '2025-01' }), placement, [CLICK_LOCALE_FIELD]: 'en-US' },
      { operatorOpenId: ASKER, openMessageId, openChatId: 'oc_group_chat' },
    );
    await h.bot.onCardAction(click);
    await h.bot.onCardFollowUp(click);
    const im = mock.calls.slice(before).filter((c) => c.path.startsWith('/open-apis/im/v1/messages'));
    const placeholder = mock.sent.at(-1)!;
    expect(im.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /open-apis/im/v1/messages', `PATCH /open-apis/im/v1/messages/${placeholder.messageId}`]);
    expect(im[0]!.query.get('receive_id_type')).toBe('open_id');
    expect((im[0]!.body as { receive_id: string }).receive_id).toBe(ASKER);
    expect(placeholder.content).toContain('Looking it up');
    expect(placeholder.content).not.toMatch(FIGURES);
    expect(mock.updates.at(-1)).toMatchObject({ kind: 'patch', messageId: placeholder.messageId });
    expect(mock.updates.at(-1)!.kind === 'patch' && (mock.updates.at(-1) as { content: string }).content).toMatch(FIGURES);
    expect(JSON.stringify(mock.calls.map((c) => [c.query.toString(), c.body]))).not.toContain('oc_group_chat');
  });

  it('a quick Refresh updates the clicked card in place, without a placeholder', async () => {
    // Only a long slot wait could show progress here (the timer is a minute away).
    const h = setup(60_000);
    const { card, refresh } = await payslipCardOf(h.bot);
    const sentBefore = mock.sent.length;
    // The next payroll slot is about a second away after the first ask: let it pass.
    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const click = cardClick(refresh, { operatorOpenId: ASKER, openMessageId: card.messageId });
    await h.bot.onCardAction(click);
    await h.bot.onCardFollowUp(click);
    expect(mock.sent).toHaveLength(sentBefore);
    expect(mock.updates.at(-1)).toMatchObject({ kind: 'patch', messageId: card.messageId });
  });
});
