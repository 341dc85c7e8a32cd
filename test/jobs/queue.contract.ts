/**
 * What every WorkQueue must do; run by `memory.test.ts` and `bullmq.test.ts` so both
 * implementations are held to the same expectations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage } from '../../src/bot/events.js';
import { randomUUID } from 'node:crypto';
import { JobFailure, refOf, type AccrualJob, type JobProcessor, type WorkJob, type WorkQueue, type WorkQueueOptions } from '../../src/jobs/types.js';

let seq = 0;
export function messageJob(person: string, text = 'help'): WorkJob & { kind: 'message' } {
  const id = `om_${Date.now().toString(36)}_${++seq}`;
  const msg: IncomingMessage = {
    eventId: `ev_${id}`,
    messageId: id,
    chatId: `oc_${person}`,
    chatType: 'p2p',
    messageType: 'text',
    content: JSON.stringify({ text }),
    senderOpenId: person,
    senderType: 'user',
    mentions: [],
    createTime: Date.now(),
  };
  return { kind: 'message', msg };
}

/** A job of the HR flow: ids only. */
export function accrualJob(kind: AccrualJob['kind'] = 'accrual.nudge', version = 2): AccrualJob {
  return { kind, editId: randomUUID(), version };
}

/** A balance reminder for `person` in `period` (one row of the balance report). */
export function reminderJob(person: string, period = '20261201T0200Z', passId = 'pass-1'): WorkJob & { kind: 'reminder' } {
  return { kind: 'reminder', passId, period, openId: person, balances: [{ leave_type_id: '7100', leave_type_name: [], leave_balance: '5' }] };
}

/** Resolves once `check` holds (polling every 10 ms), or fails after `ms`. */
export async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A processor whose attempts are scripted per message id; records runs and give-ups. */
export function scripted(script: (job: WorkJob, attempt: number) => Promise<void> = async () => {}) {
  const runs: string[] = [];
  const gaveUp: Array<{ ref: string; code: string }> = [];
  const attempts = new Map<string, number>();
  const ref = refOf;
  const processor: JobProcessor = {
    async run(job) {
      const n = (attempts.get(ref(job)) ?? 0) + 1;
      attempts.set(ref(job), n);
      runs.push(ref(job));
      await script(job, n);
    },
    async giveUp(job, code) {
      gaveUp.push({ ref: ref(job), code });
    },
  };
  return { processor, runs, gaveUp, attempts };
}

export function runQueueContract(name: string, makeQueue: (opts: WorkQueueOptions) => WorkQueue | Promise<WorkQueue>): void {
  describe(`WorkQueue contract: ${name}`, () => {
    const open: WorkQueue[] = [];
    async function queue(opts: WorkQueueOptions = {}): Promise<WorkQueue> {
      const q = await makeQueue({ backoffMs: 20, ...opts });
      open.push(q);
      return q;
    }
    afterEach(async () => {
      await Promise.all(open.splice(0).map((q) => q.close()));
    });

    it('runs a job once, however often the same message is enqueued', async () => {
      const q = await queue();
      const p = scripted();
      const job = messageJob('ou_a');
      await Promise.all([q.enqueue(job), q.enqueue(job), q.enqueue(job)]);
      q.startWorker(p.processor);
      await until(() => p.runs.length === 1);
      await new Promise((r) => setTimeout(r, 200));
      expect(p.runs).toEqual([job.msg.messageId]);
      expect(p.gaveUp).toEqual([]);
    });

    it('runs a reminder once per person and period, whichever pass queues it', async () => {
      const q = await queue();
      const p = scripted();
      await Promise.all([
        q.enqueue(reminderJob('ou_r', '20261201T0200Z', 'pass-a')),
        q.enqueue(reminderJob('ou_r', '20261201T0200Z', 'pass-b')),
        q.enqueue(reminderJob('ou_s', '20261201T0200Z', 'pass-a')),
      ]);
      q.startWorker(p.processor);
      await until(() => p.runs.length === 2);
      await new Promise((r) => setTimeout(r, 200));
      expect(p.runs.sort()).toEqual(['pass-a/ou_r', 'pass-a/ou_s']);
    });

    it('runs a reminder that failed for good again when a later pass asks (retryFailed)', async () => {
      const q = await queue({ attempts: 1 });
      const p = scripted(async (job) => {
        if (job.kind === 'reminder' && job.passId === 'pass-1') throw new JobFailure('feishu:im.message.create:230013', false);
      });
      q.startWorker(p.processor);
      await q.enqueue(reminderJob('ou_f', '20261201T0200Z', 'pass-1'));
      await until(() => p.gaveUp.length === 1);
      await new Promise((r) => setTimeout(r, 100));
      await q.enqueue(reminderJob('ou_f', '20261201T0200Z', 'pass-2'), { retryFailed: true });
      await until(() => p.runs.length === 2);
      expect(p.runs).toEqual(['pass-1/ou_f', 'pass-2/ou_f']);
    });

    it('refuses job data that does not validate', async () => {
      const q = await queue();
      const bad = { kind: 'message', msg: { messageId: '' } } as unknown as WorkJob;
      await expect(q.enqueue(bad)).rejects.toThrow(/invalid job data/);
    });

    it('retries a passing fault with backoff, then answers', async () => {
      const q = await queue();
      const p = scripted(async (_job, attempt) => {
        if (attempt === 1) throw new JobFailure('feishu:im.message.reply:500', true);
      });
      const job = messageJob('ou_b');
      q.startWorker(p.processor);
      await q.enqueue(job);
      await until(() => p.attempts.get(job.msg.messageId) === 2);
      await new Promise((r) => setTimeout(r, 100));
      expect(p.gaveUp).toEqual([]);
      expect(p.runs).toEqual([job.msg.messageId, job.msg.messageId]);
    });

    it('gives up after the last attempt and tells the person once', async () => {
      const q = await queue({ attempts: 3 });
      const p = scripted(async () => {
        throw new JobFailure('feishu:im.message.reply:503', true);
      });
      const job = messageJob('ou_c');
      q.startWorker(p.processor);
      await q.enqueue(job);
      await until(() => p.gaveUp.length === 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(p.runs).toHaveLength(3);
      expect(p.gaveUp).toEqual([{ ref: job.msg.messageId, code: 'feishu:im.message.reply:503' }]);
    });

    it('does not retry a permanent fault', async () => {
      const q = await queue({ attempts: 3 });
      const p = scripted(async () => {
        throw new JobFailure('internal', false);
      });
      const job = messageJob('ou_d');
      q.startWorker(p.processor);
      await q.enqueue(job);
      await until(() => p.gaveUp.length === 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(p.runs).toHaveLength(1);
    });

    it("serves people in turn: one person's burst does not hold another's job back", async () => {
      const q = await queue({ concurrency: 1 });
      const p = scripted();
      const burst = Array.from({ length: 10 }, () => messageJob('ou_busy'));
      const other = messageJob('ou_other');
      for (const job of burst) await q.enqueue(job);
      await q.enqueue(other);
      q.startWorker(p.processor);
      await until(() => p.runs.length === 11);
      // Everybody's first job before anybody's second.
      expect(p.runs.indexOf(other.msg.messageId)).toBeLessThanOrEqual(1);
    });

    it('runs a delayed job only once its delay has passed, once however often it is queued', async () => {
      const q = await queue();
      const p = scripted();
      q.startWorker(p.processor);
      const job = accrualJob('accrual.nudge');
      await Promise.all([q.enqueue(job, { delayMs: 400 }), q.enqueue(job, { delayMs: 400 })]);
      // Queued with a delay: not run yet, and idle() does not wait for it.
      await q.idle?.();
      expect(p.runs).toEqual([]);
      await until(() => p.runs.length === 1);
      await new Promise((r) => setTimeout(r, 150));
      expect(p.runs).toEqual([refOf(job)]);
    });

    it('an enqueue without delay brings a delayed job of the same id forward; a later one does not postpone it', async () => {
      const q = await queue();
      const p = scripted();
      q.startWorker(p.processor);
      const job = accrualJob('accrual.write');
      await q.enqueue(job, { delayMs: 3_600_000 });
      await q.enqueue(job, { delayMs: 7_200_000 });
      await q.idle?.();
      expect(p.runs).toEqual([]);
      await q.enqueue(job);
      await until(() => p.runs.length === 1);
      await q.idle?.();
      expect(p.runs).toEqual([refOf(job)]);
    });

    it('jobs of one kind and request but another version are separate jobs', async () => {
      const q = await queue();
      const p = scripted();
      q.startWorker(p.processor);
      const first = accrualJob('accrual.expire', 2);
      const second: AccrualJob = { ...first, version: 3 };
      await q.enqueue(first);
      await q.enqueue(second);
      await until(() => p.runs.length === 2);
      expect(p.runs.sort()).toEqual([refOf(first), refOf(second)].sort());
    });

    it('refuses an HR-flow job with figures or a malformed id in its data', async () => {
      const q = await queue();
      const withFigures = { ...accrualJob('accrual.write'), quantity: '2.5' } as unknown as WorkJob;
      await expect(q.enqueue(withFigures)).rejects.toThrow(/invalid job data/);
      const badId = { kind: 'accrual.write', editId: 'not-a-uuid', version: 1 } as unknown as WorkJob;
      await expect(q.enqueue(badId)).rejects.toThrow(/invalid job data/);
    });

    it('runs at most `concurrency` jobs at once', async () => {
      const q = await queue({ concurrency: 3 });
      let now = 0;
      let most = 0;
      const p = scripted(async () => {
        most = Math.max(most, ++now);
        await new Promise((r) => setTimeout(r, 30));
        now--;
      });
      q.startWorker(p.processor);
      for (let i = 0; i < 12; i++) await q.enqueue(messageJob(`ou_p${i}`));
      await until(() => p.runs.length === 12 && now === 0);
      expect(most).toBe(3);
    });
  });
}
