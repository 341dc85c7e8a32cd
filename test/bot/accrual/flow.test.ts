/**
 * The HR maker-checker flow end to end through the bot: propose in chat → confirm →
 * approval cards to the approvers only → approve on either instance → exactly one PATCH
 * with seed 001's body → every card shows the outcome, the requester is told, audited.
 */
import { describe, expect, it } from 'vitest';
import { ACCRUAL_ACTIONS } from '../../../cards/accrual-edit.js';
import { createAuditLog } from '../../../src/services/accrual/audit.js';
import { BOT_OPEN_ID, installFeishuMock } from '../../support/feishu-mock.js';
import { ANNUAL, APPROVER_1, APPROVER_2, BOTH, EMPLOYEE, installGrantFake, OUTSIDER, RECORD_ID, REQUESTER } from '../../support/accrual.js';
import { button, click, cluster, hrMessage, lastUpdateOf, sentTo, type Cluster } from './harness.js';

const mock = installFeishuMock();

const ZH = `调整 @_user_1 的年假发放记录 ${RECORD_ID} 为 2.5 天，失效日期 2026-12-31，原因：补录加班`;
const EN = `adjust @_user_1's annual leave grant ${RECORD_ID} to 2.5 days, expires 2026-12-31, reason: missed overtime`;

/** Proposes with everything given and submits; returns the approval buttons per approver. */
async function proposeAndSubmit(c: Cluster, text = ZH) {
  await c.a.onMessage(hrMessage(REQUESTER, text, [EMPLOYEE]));
  const confirm = sentTo(mock, REQUESTER).at(-1);
  if (!confirm) throw new Error('no confirmation card');
  const submitted = await click(c.a, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.submit), { openMessageId: confirm.messageId });
  expect(submitted.toast?.type).toBe('success');
  const cards = new Map([APPROVER_1, APPROVER_2, BOTH].map((a) => [a, sentTo(mock, a).at(-1)]));
  const approveOf = (a: string) => button(cards.get(a)?.content ?? '{}', ACCRUAL_ACTIONS.approve);
  return { confirm, cards, approveOf };
}

describe('accrual edit: propose, confirm, approve, write', () => {
  it.each([
    ['zh-CN', ZH, '确认', '补录加班'],
    ['en-US', EN, 'Check the change', 'missed overtime'],
  ])('a complete proposal in %s gets a confirmation card with before → after, privately', async (_locale, text, title, reason) => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, text, [EMPLOYEE]));
    const [confirm] = sentTo(mock, REQUESTER);
    expect(confirm).toBeDefined();
    expect(confirm!.content).toContain(title);
    expect(confirm!.content).toContain(`<at id=${EMPLOYEE}></at>`);
    expect(confirm!.content).toContain('3 → **2.5**');
    expect(confirm!.content).toContain('2026-12-31');
    expect(confirm!.content).toContain(reason);
    // The lookup: the employee's records of that type, by open_id.
    expect(grants.lookups.map((l) => [l.leaveId, l.query.get('user_id_type')])).toEqual([[ANNUAL, 'open_id']]);
    expect(grants.patches).toEqual([]);
    // Nothing goes to anyone else, nothing is a reply.
    expect(mock.sent.every((m) => m.receiveId === REQUESTER && m.receiveIdType === 'open_id')).toBe(true);
  });

  it('in a group: the employee is the mentioned person, not the bot; the group gets no grant data', async () => {
    const c = cluster(mock);
    installGrantFake(mock);
    const msg = hrMessage(REQUESTER, `@_user_1 ${ZH.replace('@_user_1', '@_user_2')}`, [BOT_OPEN_ID, EMPLOYEE], 'group');
    await c.a.onMessage(msg);
    const confirm = sentTo(mock, REQUESTER).at(-1);
    expect(confirm?.content).toContain(`<at id=${EMPLOYEE}></at>`);
    const inGroup = mock.sent.filter((m) => m.replyTo === msg.messageId);
    expect(inGroup.every((m) => !m.content.includes(RECORD_ID))).toBe(true);
  });

  it('someone not in HR_REQUESTERS is refused politely and nothing is stored or looked up', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    await c.a.onMessage(hrMessage(OUTSIDER, EN, [EMPLOYEE]));
    expect(mock.sent).toHaveLength(1);
    expect(mock.sent[0]!.content).toContain('Only HR can propose');
    expect(grants.lookups).toEqual([]);
    const audit = createAuditLog(c.stores[0]!, c.keys);
    expect(await audit.read(0)).toEqual([]);
  });

  it('submit sends approval cards to every approver but the requester; approve writes once with the seed body', async () => {
    const c = cluster(mock, { env: { HR_REQUESTERS: BOTH, HR_APPROVERS: `${APPROVER_1},${APPROVER_2},${BOTH}` } });
    const grants = installGrantFake(mock);
    // BOTH proposes: an approver too, so they must not get an approval card.
    await c.a.onMessage(hrMessage(BOTH, EN, [EMPLOYEE]));
    const confirm = sentTo(mock, BOTH).at(-1)!;
    await click(c.a, BOTH, button(confirm.content, ACCRUAL_ACTIONS.submit), { openMessageId: confirm.messageId });
    expect(sentTo(mock, APPROVER_1)).toHaveLength(1);
    expect(sentTo(mock, APPROVER_2)).toHaveLength(1);
    expect(sentTo(mock, BOTH).filter((m) => m.content.includes(ACCRUAL_ACTIONS.approve))).toEqual([]);

    const approve = button(sentTo(mock, APPROVER_1)[0]!.content, ACCRUAL_ACTIONS.approve);
    expect(Object.keys(approve).sort()).toEqual(['action', 'id', 'lc', 'v']);
    // The requester approving their own request (they are an approver too) is refused.
    const self = await click(c.b, BOTH, approve);
    expect(self.toast?.content).toContain('另一位审批人');
    expect(grants.patches).toEqual([]);

    const result = await click(c.b, APPROVER_2, approve);
    expect(result.toast?.type).toBe('success');
    expect(grants.patches).toHaveLength(1);
    const patch = grants.patches[0]!;
    expect(patch.leaveId).toBe(ANNUAL);
    expect(patch.query.get('user_id_type')).toBe('open_id');
    expect(patch.body).toEqual({
      leave_granting_record_id: RECORD_ID,
      employment_id: EMPLOYEE,
      leave_type_id: ANNUAL,
      reason: [
        { lang: 'zh_CN', value: 'missed overtime' },
        { lang: 'en_US', value: 'missed overtime' },
      ],
      time_offset: 480,
      expiration_date: '2026-12-31',
      quantity: '2.5',
    });
    // Every approver's card shows the outcome and who decided.
    for (const a of [APPROVER_1, APPROVER_2]) {
      const updated = lastUpdateOf(mock, sentTo(mock, a)[0]!.messageId);
      expect(updated, a).toContain('已写入飞书');
      expect(updated, a).toContain(`<at id=${APPROVER_2}></at>`);
    }
    // The requester is told.
    expect(sentTo(mock, BOTH).at(-1)!.content).toContain('Approved and written to Feishu');
  });

  it('two approvers on two instances at the same moment, double clicks and replays: exactly one PATCH', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const { approveOf } = await proposeAndSubmit(c);
    const same = approveOf(APPROVER_1);
    const results = await Promise.all([
      click(c.a, APPROVER_1, same),
      click(c.b, APPROVER_2, approveOf(APPROVER_2)),
      click(c.a, APPROVER_1, same),
      click(c.b, APPROVER_1, same),
    ]);
    expect(results.filter((r) => r.toast?.type === 'success')).toHaveLength(1);
    expect(results.filter((r) => r.followUp)).toHaveLength(1);
    expect(grants.patches).toHaveLength(1);
    // A replay after the fact changes nothing either.
    const replay = await click(c.b, APPROVER_2, same);
    expect(replay.toast?.content).toContain('已被处理');
    expect(grants.patches).toHaveLength(1);
  });

  it('survives a restart between submit and approve', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const { approveOf } = await proposeAndSubmit(c);
    await c.shutdown();
    const fresh = c.restart();
    const result = await click(fresh, APPROVER_1, approveOf(APPROVER_1));
    expect(result.toast?.type).toBe('success');
    expect(grants.patches).toHaveLength(1);
  });

  it('audits the proposal, the submission, the decision and the write', async () => {
    const c = cluster(mock);
    installGrantFake(mock);
    const { approveOf } = await proposeAndSubmit(c);
    await click(c.a, APPROVER_1, approveOf(APPROVER_1));
    {
      const audit = createAuditLog(c.stores[0]!, c.keys);
      const entries = await audit.read(0);
      expect(entries.map((e) => e.event)).toEqual(['proposed', 'submitted', 'approved', 'written']);
      expect(entries[2]).toMatchObject({ actor: APPROVER_1, employee: EMPLOYEE, recordId: RECORD_ID, before: { quantity: '3', expirationDate: '2026-12-31' }, after: { quantity: '2.5', expirationDate: '2026-12-31' } });
    }
  });
});
