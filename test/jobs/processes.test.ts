/**
 * The bot as operators run it: real child processes on one real Redis, against a fake
 * Feishu HTTP server that dedupes sends by uuid as Feishu does. Kill -9 mid-handler,
 * SIGTERM with work queued, and web + worker roles sharing the work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../../bench/fake-feishu.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, feishuRequest, messageEvent } from '../support/feishu-events.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';
import { STALLED_OUT_CODE } from '../../src/jobs/bullmq.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'test/support/bot-process.ts');
const redisUrl = process.env.TEST_REDIS_URL!;

interface BotProcess {
  child: ChildProcess;
  port: number;
  out: { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
const fakes: FakeFeishu[] = [];
const appIds: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});
afterAll(() => deleteKeysWithPrefixes(redisUrl, appIds.map((id) => `hrbot:${id}:`)));

async function fake(): Promise<FakeFeishu> {
  const f = await startFakeFeishu();
  fakes.push(f);
  return f;
}

/** One deployment: an app id (so Redis keys and queue are its own) and the fake it talks to. */
function deployment(feishu: FakeFeishu) {
  const appId = `cli_proc${randomBytes(5).toString('hex')}`;
  appIds.push(appId);
  const env = {
    PATH: process.env.PATH ?? '',
    FEISHU_APP_ID: appId,
    FEISHU_APP_SECRET: 'secret',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_BASE_URL: feishu.url,
    REDIS_URL: redisUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  return {
    appId,
    start(role: 'all' | 'web' | 'worker', extra: Record<string, string> = {}): Promise<BotProcess> {
      // node itself with tsx's loader (not the tsx CLI): SIGKILL must hit the process that runs the bot.
      const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], { cwd: ROOT, env: { ...env, BOT_ROLE: role, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      const out = { stdout: '', stderr: '' };
      const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
      return new Promise((ready, fail) => {
        child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
        child.stdout!.on('data', (d: Buffer) => {
          out.stdout += d.toString();
          const m = /READY (\d+)/.exec(out.stdout);
          if (m) ready({ child, port: Number(m[1]), out, exited });
        });
        void exited.then((code) => fail(new Error(`bot process exited ${code}: ${out.stderr.slice(0, 500)}`)));
      });
    },
  };
}

async function post(port: number, event: ReturnType<typeof messageEvent>): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/webhook/event`, feishuRequest(event, { encryptKey: ENCRYPT_KEY }));
  return res.status;
}

async function until(check: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Receipts of replies to one message, and how many of them reached the person (unique uuid, accepted). */
function repliesTo(feishu: FakeFeishu, messageId: string) {
  const all = feishu.receipts.filter((r) => r.repliedTo === messageId);
  return { all, delivered: all.filter((r) => r.outcome === 'sent') };
}

const handledLines = (out: string) => out.split('\n').filter((l) => l.includes('"outcome":"handled"')).length;

describe('durable work across processes (real Redis, fake Feishu over HTTP)', () => {
  it('SIGKILL mid-handler: the restarted worker answers, and the person gets exactly one reply', { timeout: 60_000 }, async () => {
    const feishu = await fake();
    const deploy = deployment(feishu);
    const first = await deploy.start('all');
    feishu.hold(); // the reply reaches Feishu and waits there: the handler is mid-send
    const event = messageEvent({ text: 'help' });
    const messageId = event.event.message.message_id;
    expect(await post(first.port, event)).toBe(200);
    await until(() => feishu.heldCount() === 1);
    first.child.kill('SIGKILL');
    await first.exited;
    feishu.release(); // Feishu did take the send, though its sender is gone

    const second = await deploy.start('worker');
    // Stalled-job recovery re-runs the handler; its send carries the same uuid.
    await until(() => repliesTo(feishu, messageId).all.length === 2);
    const replies = repliesTo(feishu, messageId);
    expect(replies.all.map((r) => r.outcome)).toEqual(['sent', 'duplicate']);
    expect(new Set(replies.all.map((r) => r.uuid)).size).toBe(1);
    expect(replies.delivered).toHaveLength(1);
    // The job's log line follows its last send.
    await until(() => handledLines(second.out.stdout) === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(handledLines(second.out.stdout)).toBe(1);
  });

  it('a job whose worker dies every time it runs: past the stall limit the person gets one apology, and the kept job holds no text', { timeout: 90_000 }, async () => {
    const feishu = await fake();
    const deploy = deployment(feishu);
    feishu.hold(); // every run of the job stops mid-send, and its process is killed there
    const event = messageEvent({ text: 'help 我的工资 98765', openId: 'ou_crash_loop' });
    const messageId = event.event.message.message_id;
    let proc = await deploy.start('all');
    expect(await post(proc.port, event)).toBe(200);
    // BullMQ re-runs a stalled job three times (MAX_STALLED_COUNT); the fourth stall fails it.
    for (let run = 1; run <= 4; run++) {
      await until(() => feishu.heldCount() === run);
      proc.child.kill('SIGKILL');
      await proc.exited;
      if (run < 4) proc = await deploy.start('worker');
    }
    feishu.dropHeld(); // none of those sends reached Feishu
    await deploy.start('worker');

    await until(() => feishu.delivered().length === 1);
    const [apology] = feishu.delivered();
    expect(apology!.kind).toBe('create');
    expect(apology!.receiver).toBe('ou_crash_loop');
    expect(apology!.content).toContain('抱歉');
    expect(repliesTo(feishu, messageId).all).toHaveLength(0);

    const inspect = new Queue('work', { connection: { url: redisUrl }, prefix: `hrbot:${deploy.appId}:bull` });
    try {
      let failed = await inspect.getFailed();
      for (let i = 0; i < 100 && (failed.length === 0 || JSON.stringify(failed[0]!.data).includes('98765')); i++) {
        await new Promise((r) => setTimeout(r, 50));
        failed = await inspect.getFailed();
      }
      expect(failed).toHaveLength(1);
      expect(failed[0]!.data).toEqual({ kind: 'message', ref: messageId, person: 'ou_crash_loop', code: STALLED_OUT_CODE });
      expect(JSON.stringify(failed[0]!.toJSON())).not.toContain('98765');
      expect(JSON.stringify(failed[0]!.toJSON())).not.toContain('工资');
    } finally {
      await inspect.close();
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(feishu.delivered()).toHaveLength(1);
  });

  it('SIGTERM hands queued and waiting jobs back; another instance answers each exactly once', { timeout: 90_000 }, async () => {
    const feishu = await fake();
    const deploy = deployment(feishu);
    // Every job running at once, most of them waiting for a send slot when SIGTERM comes.
    const first = await deploy.start('all', { TEST_CONCURRENCY: '32' });
    // Thirty questions in one chat: replies to one receiver go out at most 5/s, so most wait.
    const events = Array.from({ length: 30 }, () => messageEvent({ text: 'help' }));
    for (const e of events) expect(await post(first.port, e)).toBe(200);
    await until(() => feishu.delivered().length >= 3);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    const answeredBefore = feishu.delivered().length;
    expect(answeredBefore).toBeLessThan(30);

    await deploy.start('worker');
    await until(() => feishu.delivered().length === 30);
    for (const e of events) expect(repliesTo(feishu, e.event.message.message_id).delivered).toHaveLength(1);
    expect(feishu.rateLimited()).toBe(0);
  });

  it('one web and two worker processes share the work: one reply per message', { timeout: 90_000 }, async () => {
    const feishu = await fake();
    const deploy = deployment(feishu);
    const [web, workerA, workerB] = await Promise.all([
      deploy.start('web'),
      deploy.start('worker', { TEST_CONCURRENCY: '2' }),
      deploy.start('worker', { TEST_CONCURRENCY: '2' }),
    ]);
    // A worker serves only health, readiness and metrics.
    expect((await fetch(`http://127.0.0.1:${workerA.port}/healthz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${workerA.port}/metrics`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${workerA.port}/webhook/event`, feishuRequest(messageEvent()))).status).toBe(404);

    const events = Array.from({ length: 20 }, (_, i) => messageEvent({ text: 'help', openId: `ou_person_${i % 5}` }));
    for (const e of events) expect(await post(web.port, e)).toBe(200);
    await until(() => feishu.delivered().length === 20);
    await until(() => handledLines(workerA.out.stdout) + handledLines(workerB.out.stdout) === 20);
    await new Promise((r) => setTimeout(r, 300));
    for (const e of events) expect(repliesTo(feishu, e.event.message.message_id).all).toHaveLength(1);
    expect(handledLines(web.out.stdout)).toBe(0);
    expect(handledLines(workerA.out.stdout)).toBeGreaterThan(0);
    expect(handledLines(workerB.out.stdout)).toBeGreaterThan(0);
    expect(handledLines(workerA.out.stdout) + handledLines(workerB.out.stdout)).toBe(20);
  });
});
