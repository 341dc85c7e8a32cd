/**
 * Reminder passes as operators run them: real child processes on one real Redis, against
 * the local fake Feishu over HTTP (it dedupes sends by uuid, as Feishu does). A pass killed
 * with SIGKILL half-way resumes on a new process from its checkpoint; `remind --once` prints
 * its summary line and exits by outcome; the admin route answers 202, 409 and 401.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../../bench/fake-feishu.js';
import { syntheticRoster } from '../../bench/roster.js';
import { VERIFICATION_TOKEN } from '../support/feishu-events.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SERVER = join(ROOT, 'test/support/bot-process.ts');
const CLI = join(ROOT, 'src/cli.ts');
const redisUrl = process.env.TEST_REDIS_URL!;
const ADMIN_TOKEN = 'reminder-admin-token-0123456789abcdef';

const children: ChildProcess[] = [];
const fakes: FakeFeishu[] = [];
const appIds: string[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});
afterAll(() => deleteKeysWithPrefixes(redisUrl, appIds.map((id) => `hrbot:${id}:`)));

async function deployment(n: number, extra: Record<string, string> = {}) {
  const tag = randomBytes(3).toString('hex');
  const roster = syntheticRoster(n, tag, new Date());
  const feishu = await startFakeFeishu({ employees: roster });
  fakes.push(feishu);
  const appId = `cli_rem${randomBytes(5).toString('hex')}`;
  appIds.push(appId);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    FEISHU_APP_ID: appId,
    FEISHU_APP_SECRET: 'secret',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_BASE_URL: feishu.url,
    REDIS_URL: redisUrl,
    ADMIN_TOKEN,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    ...extra,
  };
  const due = roster.filter((_, i) => i % 10 !== 9).map((e) => e.openId);
  return { roster, due, feishu, env, appId };
}

function spawnNode(script: string, args: string[], env: Record<string, string>) {
  // node itself with tsx's loader (not the tsx CLI): SIGKILL must hit the process doing the work.
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return { child, out, exited };
}

async function startServer(env: Record<string, string>) {
  const p = spawnNode(SERVER, [], env);
  await until(() => /READY \d+/.test(p.out.stdout), 30_000, () => p.out.stderr.slice(0, 500));
  return { child: p.child, out: p.out, port: Number(/READY (\d+)/.exec(p.out.stdout)![1]) };
}

async function until(check: () => boolean, ms = 60_000, why: () => string = () => ''): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met in time ${why()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const runPass = (port: number, token = ADMIN_TOKEN) =>
  fetch(`http://127.0.0.1:${port}/admin/reminders/run`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

describe('reminder passes across processes (real Redis, fake Feishu over HTTP)', () => {
  it('admin route: 401 without the token, 202 with a pass id, 409 while it runs; SIGKILL half-way, a new process resumes from the checkpoint, nobody gets two cards', { timeout: 180_000 }, async () => {
    const { due, feishu, env, appId } = await deployment(400);
    const first = await startServer(env);
    expect((await runPass(first.port, 'not-the-token-not-the-token-000000')).status).toBe(401);
    const started = await runPass(first.port);
    expect(started.status).toBe(202);
    const { passId } = (await started.json()) as { passId: string };
    expect(passId).toMatch(/^pass-\d{8}T\d{4}Z-/);
    const again = await runPass(first.port);
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ status: 'already running', passId });

    // Kill -9 once the pass job has checkpointed past its second page (cursor in the job's data).
    const jobs = new Queue('reminders', { connection: { url: redisUrl }, prefix: `hrbot:${appId}:bull` });
    let cursor: string | undefined;
    try {
      const deadline = Date.now() + 90_000;
      while (cursor !== '200') {
        if (Date.now() > deadline) throw new Error(`no checkpoint after page 2 (cursor ${cursor})`);
        await new Promise((r) => setTimeout(r, 20));
        cursor = ((await jobs.getJob(passId))?.data as { cursor?: string } | undefined)?.cursor;
      }
    } finally {
      await jobs.close();
    }
    first.child.kill('SIGKILL');
    const sentBeforeKill = feishu.delivered().length;
    const pagesBeforeKill = feishu.hrCalls().balancePages;
    expect(sentBeforeKill).toBeLessThan(due.length);

    // Its BullMQ lock lapses (1 s in tests) and the new process picks the pass up.
    const second = await startServer(env);
    await until(() => feishu.delivered().length >= due.length, 90_000, () => `${feishu.delivered().length} ${second.out.stdout.slice(-1500)}`);
    await new Promise((r) => setTimeout(r, 500));
    const delivered = feishu.delivered().map((r) => r.receiver);
    expect(delivered.sort()).toEqual([...due].sort());
    // Resumed at the checkpoint: only the pages from the cursor on are read again.
    expect(pagesBeforeKill).toBe(4);
    expect(feishu.hrCalls().balancePages - pagesBeforeKill).toBe(4 - Number(cursor) / 100);
    // The finished pass let go of its lock: the next run starts at once (and sends nothing new).
    let status = 409;
    for (let i = 0; i < 50 && status === 409; i++) {
      status = (await runPass(second.port)).status;
      if (status === 409) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(202);
  });

  it('remind --once prints one summary line and exits 0 when every due reminder went out or was skipped; a second run sends nothing', { timeout: 60_000 }, async () => {
    const { due, feishu, env } = await deployment(30);
    const run = spawnNode(CLI, ['remind', '--once'], env);
    expect(await run.exited).toBe(0);
    const line = run.out.stdout.trim();
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(new RegExp(`due=${due.length} sent=${due.length} skipped=3 \\(opted_out=0 zero_balance=3 already_reminded=0\\) failed=0 duration=[\\d.]+s floor=[\\d.]+s ratio=`));
    expect(feishu.delivered()).toHaveLength(due.length);

    const again = spawnNode(CLI, ['remind', '--once'], env);
    expect(await again.exited).toBe(0);
    expect(again.out.stdout).toContain(`due=0 sent=0 skipped=${30} (opted_out=0 zero_balance=3 already_reminded=${due.length})`);
    expect(feishu.delivered()).toHaveLength(due.length);
  });

  it('remind --once exits 1 and names the error code when a due reminder could not be sent', { timeout: 60_000 }, async () => {
    const { roster, due, feishu, env } = await deployment(10, { REDIS_URL: '' });
    feishu.unreachable.add(roster[0]!.openId);
    const run = spawnNode(CLI, ['remind', '--once'], env);
    expect(await run.exited).toBe(1);
    expect(run.out.stdout).toContain(`due=${due.length} sent=${due.length - 1}`);
    expect(run.out.stdout).toContain('failed=1 (feishu:im.message.create:230013×1)');
  });
});
