/**
 * The HR flow's durable jobs on BullMQ over real Redis: submit queues the 24 h nudge and
 * the 7-day expiry (delayed jobs, ids from the request id and version, ids only in their
 * data); with the waits shortened, approvers are nudged once, a request still pending is
 * expired on every card and the requester told; jobs of a request decided meanwhile do
 * nothing; queued jobs outlive the instance that queued them; the write is a job of its
 * own that runs once even when the click's follow-up was lost or a claimed write ran again.
 */
import { Queue } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { ACCRUAL_ACTIONS } from '../../../cards/accrual-edit.js';
import { EDIT_EXPIRY_MS, EDIT_NUDGE_MS, startWrite } from '../../../src/domain/accrual-edit.js';
import { createBullQueue } from '../../../src/jobs/bullmq.js';
import { silentLogger } from '../../../src/log.js';
import { createAuditLog } from '../../../src/services/accrual/audit.js';
import { createEditRequests } from '../../../src/services/accrual/requests.js';
import { installFeishuMock } from '../../support/feishu-mock.js';
import { APPROVER_1, APPROVER_2, EMPLOYEE, installGrantFake, RECORD_ID, REQUESTER } from '../../support/accrual.js';
import { until } from '../../jobs/queue.contract.js';
import { button, click, cluster, hrMessage, lastUpdateOf, sentTo, type Cluster } from './harness.js';

const mock = installFeishuMock();
const redisUrl = () => process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EN = `adjust @_user_1's annual leave grant ${RECORD_ID} to 2.5 days, reason: missed overtime`;

/** Proposes and submits on instance A; returns the request id and A's approve button for APPROVER_1. */
async function submitted(c: Cluster) {
  await c.a.onMessage(hrMessage(REQUESTER, EN, [EMPLOYEE]));
  const confirm = sentTo(mock, REQUESTER).at(-1)!;
  const submit = button(confirm.content, ACCRUAL_ACTIONS.submit);
  await click(c.a, REQUESTER, submit, { openMessageId: confirm.messageId });
  const approve = button(sentTo(mock, APPROVER_1).at(-1)!.content, ACCRUAL_ACTIONS.approve);
  return { id: String(submit.id), approve };
}

async function delayedJobs(c: Cluster) {
  const inspect = new Queue('work', { connection: { url: redisUrl() }, prefix: c.queuePrefix! });
  try {
    return (await inspect.getDelayed()).map((j) => ({ id: j.id, name: j.name, data: j.data as unknown, delay: j.delay }));
  } finally {
    await inspect.close();
  }
}

const events = async (c: Cluster) => (await createAuditLog(c.stores[0]!, c.keys).read(0)).map((e) => e.event);

describe('accrual edit: nudge, expiry and write as durable jobs', () => {
  it('submit queues the nudge at 24 h and the expiry at 7 days: ids from the request and version, ids only as data', async () => {
    const c = cluster(mock);
    installGrantFake(mock);
    const { id } = await submitted(c);
    const jobs = (await delayedJobs(c)).sort((x, y) => x.delay - y.delay);
    expect(jobs).toEqual([
      { id: `accrual-nudge-${id}-v2`, name: 'accrual.nudge', data: { kind: 'accrual.nudge', editId: id, version: 2 }, delay: EDIT_NUDGE_MS },
      { id: `accrual-expire-${id}-v2`, name: 'accrual.expire', data: { kind: 'accrual.expire', editId: id, version: 2 }, delay: EDIT_EXPIRY_MS },
    ]);
  });

  it('nudges the approvers once, then expires the request on every card and tells the requester', async () => {
    const c = cluster(mock, { timing: { nudgeMs: 300, expiryMs: 3_000 } });
    const grants = installGrantFake(mock);
    const { approve } = await submitted(c);
    expect(sentTo(mock, APPROVER_1)[0]!.content).not.toContain('提醒');
    // The nudge: one more card per approver, that works like the first one.
    await until(() => sentTo(mock, APPROVER_1).length === 2 && sentTo(mock, APPROVER_2).length === 2);
    expect(sentTo(mock, APPROVER_1)[1]!.content).toContain('提醒');
    expect(button(sentTo(mock, APPROVER_2)[1]!.content, ACCRUAL_ACTIONS.approve)).toEqual(button(sentTo(mock, APPROVER_2)[0]!.content, ACCRUAL_ACTIONS.approve));
    // The expiry: every approval card, the nudge's included, says so; the requester is told.
    await until(() => sentTo(mock, REQUESTER).some((m) => m.content.includes('nobody decided within 7 days')));
    await c.settled();
    for (const card of [...sentTo(mock, APPROVER_1), ...sentTo(mock, APPROVER_2)]) {
      expect(lastUpdateOf(mock, card.messageId), card.messageId).toContain('7 天内无人处理');
    }
    expect(sentTo(mock, APPROVER_1)).toHaveLength(2);
    expect((await click(c.b, APPROVER_1, approve)).toast?.content).toContain('已失效');
    expect(grants.patches).toEqual([]);
    expect(await events(c)).toEqual(['proposed', 'submitted', 'nudged', 'expired']);
  });

  it('a request decided before its nudge and expiry are due: both jobs do nothing', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const { id, approve } = await submitted(c);
    expect((await click(c.b, APPROVER_1, approve)).toast?.type).toBe('success');
    expect(grants.patches).toHaveLength(1);
    const told = sentTo(mock, REQUESTER).length;
    // Bring both delayed jobs forward (an enqueue of the same id without delay): they run now.
    const queue = createBullQueue({ url: redisUrl(), prefix: c.queuePrefix!, logger: silentLogger });
    try {
      await queue.enqueue({ kind: 'accrual.nudge', editId: id, version: 2 });
      await queue.enqueue({ kind: 'accrual.expire', editId: id, version: 2 });
      await c.settled();
    } finally {
      await queue.close();
    }
    expect(await delayedJobs(c)).toEqual([]);
    expect(sentTo(mock, APPROVER_1)).toHaveLength(1);
    expect(sentTo(mock, REQUESTER)).toHaveLength(told);
    expect(grants.patches).toHaveLength(1);
    expect(await events(c)).toEqual(['proposed', 'submitted', 'approved', 'written']);
  });

  it('jobs survive a restart: queued by instances that stop, run by a new one', async () => {
    const c = cluster(mock, { timing: { nudgeMs: 800 }, workers: false });
    installGrantFake(mock);
    await submitted(c);
    await c.shutdown();
    expect(sentTo(mock, APPROVER_1)).toHaveLength(1);
    c.restart({ worker: true });
    await until(() => sentTo(mock, APPROVER_1).length === 2);
    expect(sentTo(mock, APPROVER_1)[1]!.content).toContain('提醒');
  });

  it("an approval whose follow-up was lost with its process is written by the guarded write job, once", async () => {
    const c = cluster(mock, { timing: { writeGuardMs: 500 } });
    const grants = installGrantFake(mock);
    const { approve } = await submitted(c);
    // The callback was answered, then the process died: the follow-up never ran.
    expect((await c.a.onCardAction({ eventId: 'ev_lost_followup', operatorOpenId: APPROVER_1, value: approve })).followUp).toBe(true);
    expect(grants.patches).toEqual([]);
    await until(() => grants.patches.length === 1);
    await until(() => lastUpdateOf(mock, sentTo(mock, APPROVER_1)[0]!.messageId)?.includes('已写入飞书') ?? false);
    // A late follow-up (a replayed click) changes nothing.
    await c.b.onCardFollowUp({ eventId: 'ev_lost_followup', operatorOpenId: APPROVER_1, value: approve });
    await c.settled();
    expect(grants.patches).toHaveLength(1);
    expect(await events(c)).toEqual(['proposed', 'submitted', 'approved', 'written']);
  });

  it('a write claimed by a job that died is written when the job runs again, once however often it is queued', async () => {
    const c = cluster(mock);
    const grants = installGrantFake(mock);
    const { id, approve } = await submitted(c);
    // Approved and claimed, then the process died before the PATCH answered.
    await c.a.onCardAction({ eventId: 'ev_claimed', operatorOpenId: APPROVER_1, value: approve });
    const requests = createEditRequests(c.stores[0]!, c.keys);
    expect((await requests.move(id, 3, (r) => startWrite(r, 'approved', c.clock.now))).ok).toBe(true);
    // BullMQ runs a dead worker's job again; queued twice more, it still writes once.
    const queue = createBullQueue({ url: redisUrl(), prefix: c.queuePrefix!, logger: silentLogger });
    try {
      const job = { kind: 'accrual.write', editId: id, version: 3 } as const;
      await Promise.all([queue.enqueue(job), queue.enqueue(job)]);
      await until(() => grants.patches.length === 1);
      await c.settled();
      await queue.enqueue(job);
      await c.settled();
    } finally {
      await queue.close();
    }
    expect(grants.patches).toHaveLength(1);
    expect((await requests.load(id))?.status).toBe('written');
  });
});
