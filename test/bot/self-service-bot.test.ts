/**
 * Self-service through the whole bot (router, intent registry, delivery): a payslip asked
 * for in a group reaches the asker privately, and the group sees no figures; a
 * forged button value never reveals anybody else's data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { BOT_OPEN_ID, installFeishuMock } from '../support/feishu-mock.js';
import { cardClick, makeBot, textMessage } from '../support/bot-harness.js';
import { ASKER, EMPLOYMENT_ID, OTHER, OTHER_EMPLOYMENT_ID, createGuard, seedHandlers, type Guard } from '../support/self-service.js';
import { createBot } from '../../src/bot/bot.js';
import { RUN_INTENT_ACTION } from '../../cards/common.js';
import { createSelfService } from '../../src/services/self-service.js';

const mock = installFeishuMock();
let guard: Guard;

function setup(asker = ASKER, employmentId = EMPLOYMENT_ID) {
  guard = createGuard(asker, employmentId);
  mock.use(...seedHandlers(mock, guard));
  const h = makeBot(mock);
  const selfService = createSelfService({ ...h.deps, feishu: h.deps.feishu });
  return createBot({ ...h.deps, selfService });
}

afterEach(() => expect(guard.violations).toEqual([]));

const FIGURES = /12,000|9,876|12000|9876/;

describe('self-service through the bot', () => {
  it('a payslip asked for in a group goes to the asker privately; the group gets no figures', async () => {
    const bot = setup();
    const msg = textMessage('@_user_1 payslip Jan', {
      chatType: 'group',
      chatId: 'oc_group',
      senderOpenId: ASKER,
      mentions: [{ key: '@_user_1', openId: BOT_OPEN_ID, name: 'HR Assistant' }],
    });
    await bot.onMessage(msg);
    const privately = mock.sent.filter((m) => m.receiveIdType === 'open_id' && m.receiveId === ASKER);
    const inGroup = mock.sent.filter((m) => m.replyTo === msg.messageId || m.receiveId === 'oc_group');
    expect(privately).toHaveLength(1);
    expect(privately[0]!.content).toMatch(FIGURES);
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0]!.content).not.toMatch(FIGURES);
    expect(inGroup[0]!.content).not.toMatch(/\d{3,}/);
  });

  it('a forged refresh button naming someone else answers for the clicker only', async () => {
    const bot = setup(OTHER, OTHER_EMPLOYMENT_ID);
    const forged = {
      action: RUN_INTENT_ACTION,
      intent: 'payslip',
      slots: JSON.stringify({ month: '2025-01', openId: ASKER, employee_ids: [EMPLOYMENT_ID] }),
      openId: ASKER,
      open_id: ASKER,
    };
    const click = cardClick(forged, { operatorOpenId: OTHER, openChatId: 'oc_group' });
    const answer = await bot.onCardAction(click);
    expect(JSON.stringify(answer)).not.toMatch(FIGURES);
    await bot.onCardFollowUp(click);
    const upstream = JSON.stringify(mock.calls.filter((c) => !c.path.startsWith('/open-apis/im/')).map((c) => [c.path, c.query.toString(), c.body]));
    expect(upstream).not.toContain(ASKER);
    expect(upstream).not.toContain(EMPLOYMENT_ID);
    expect(upstream).toContain(OTHER_EMPLOYMENT_ID);
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.receiveId).toBe(OTHER);
  });
});
