/**
 * Pending requests over time (a movable clock): approvers are nudged once after 24 h,
 * and a request still pending after 7 days is expired, marked on every card, the
 * requester told. Two instances sweeping at once do each thing once.
 */
import { describe, expect, it } from 'vitest';
import { ACCRUAL_ACTIONS } from '../../../cards/accrual-edit.js';
import { startWrite } from '../../../src/domain/accrual-edit.js';
import { createAuditLog } from '../../../src/services/accrual/audit.js';
import { createEditRequests } from '../../../src/services/accrual/requests.js';
import { installFeishuMock } from '../../support/feishu-mock.js';
import { APPROVER_1, APPROVER_2, EMPLOYEE, installGrantFake, RECORD_ID, REQUESTER } from '../../support/accrual.js';
import { button, click, cluster, hrMessage, lastUpdateOf, sentTo } from './harness.js';

const mock = installFeishuMock();
const HOUR = 3600_000;

describe('accrual edit: nudge and expiry', () => {
  it('nudges once after 24 h, expires after 7 days on every card, tells the requester', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    await c.a.onMessage(hrMessage(REQUESTER, `adjust @_user_1's annual leave grant ${RECORD_ID} to 2.5 days, reason: x`, [EMPLOYEE]));
    const confirm = sentTo(mock, REQUESTER).at(-1)!;
    await click(c.a, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.submit), { openMessageId: confirm.messageId });
    expect(sentTo(mock, APPROVER_1)).toHaveLength(1);

    c.clock.now += 23 * HOUR;
    expect(await c.a.accrual.settler.sweep()).toEqual({ nudged: 0, expired: 0, written: 0 });

    c.clock.now += 1 * HOUR;
    const swept = await Promise.all([c.a.accrual.settler.sweep(), c.b.accrual.settler.sweep()]);
    expect(swept.reduce((n, s) => n + s.nudged, 0)).toBe(1);
    expect(sentTo(mock, APPROVER_1)).toHaveLength(2);
    expect(sentTo(mock, APPROVER_1)[1]!.content).toContain('提醒');
    // The nudge card works like the first one.
    expect(button(sentTo(mock, APPROVER_2)[1]!.content, ACCRUAL_ACTIONS.approve)).toEqual(button(sentTo(mock, APPROVER_2)[0]!.content, ACCRUAL_ACTIONS.approve));

    c.clock.now += 24 * HOUR;
    expect(await c.b.accrual.settler.sweep()).toEqual({ nudged: 0, expired: 0, written: 0 });
    expect(sentTo(mock, APPROVER_1)).toHaveLength(2);

    c.clock.now += 5 * 24 * HOUR;
    expect(await c.a.accrual.settler.sweep()).toEqual({ nudged: 0, expired: 1, written: 0 });
    for (const card of [...sentTo(mock, APPROVER_1), ...sentTo(mock, APPROVER_2)]) {
      expect(lastUpdateOf(mock, card.messageId), card.messageId).toContain('7 天内无人处理');
    }
    expect(sentTo(mock, REQUESTER).at(-1)!.content).toContain('nobody decided within 7 days');
    expect((await click(c.b, APPROVER_1, button(sentTo(mock, APPROVER_1)[0]!.content, ACCRUAL_ACTIONS.approve))).toast?.content).toContain('已失效');
    expect(grants.patches).toEqual([]);
    expect(await c.a.accrual.settler.sweep()).toEqual({ nudged: 0, expired: 0, written: 0 });
    const events = (await createAuditLog(c.stores[0]!, c.keys).read(0)).map((e) => e.event);
    expect(events).toEqual(['proposed', 'submitted', 'nudged', 'expired']);
  });

  it('a write lost with its process (approved, or claimed and never finished) is finished by the sweep, once', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const propose = async () => {
      await c.a.onMessage(hrMessage(REQUESTER, `adjust @_user_1's annual leave grant ${RECORD_ID} to 2.5 days, reason: x`, [EMPLOYEE]));
      const confirm = sentTo(mock, REQUESTER).at(-1)!;
      await click(c.a, REQUESTER, button(confirm.content, ACCRUAL_ACTIONS.submit), { openMessageId: confirm.messageId });
      return button(sentTo(mock, APPROVER_1).at(-1)!.content, ACCRUAL_ACTIONS.approve);
    };
    // Approved, then the process died before its follow-up ran.
    const first = await propose();
    expect((await c.a.onCardAction({ eventId: 'ev_lost_1', operatorOpenId: APPROVER_1, value: first })).followUp).toBe(true);
    // Approved and claimed, then the process died before the PATCH answered.
    const second = await propose();
    await c.a.onCardAction({ eventId: 'ev_lost_2', operatorOpenId: APPROVER_1, value: second });
    const requests = createEditRequests(c.stores[0]!, c.keys);
    const claimed = await requests.move(String(second.id), Number(second.v) + 1, (r) => startWrite(r, 'approved', c.clock.now));
    expect(claimed.ok).toBe(true);

    expect((await c.b.accrual.settler.sweep()).written).toBe(0);
    expect(grants.patches).toEqual([]);
    c.clock.now += 5 * 60_000;
    const swept = await Promise.all([c.a.accrual.settler.sweep(), c.b.accrual.settler.sweep()]);
    expect(swept.reduce((n, s) => n + s.written, 0)).toBe(2);
    expect(grants.patches).toHaveLength(2);
    expect((await requests.load(String(first.id)))?.status).toBe('written');
    expect((await requests.load(String(second.id)))?.status).toBe('written');
    c.clock.now += 5 * 60_000;
    expect((await c.a.accrual.settler.sweep()).written).toBe(0);
    expect(grants.patches).toHaveLength(2);
  });
});
