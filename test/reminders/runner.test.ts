import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { reminderCard } from '../../cards/reminder.js';
import { FAKE_LEAVE_TYPES } from '../../bench/roster.js';
import { createI18n } from '../../src/i18n.js';
import { createBullReminderRunner, SCHEDULER_ID, type ReminderRunner } from '../../src/reminders/runner.js';
import { reminderPeriod } from '../../src/reminders/period.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';
import { cardClick, makeBot } from '../support/bot-harness.js';
import { installFeishuMock } from '../support/feishu-mock.js';
import { syntheticRoster } from '../../bench/roster.js';
import { reminderSetup, type ReminderSetup } from './support.js';

const url = process.env.TEST_REDIS_URL!;
const root = `test-reminders:${randomUUID().slice(0, 8)}`;
const cleanup: string[] = [root];
const runners: ReminderRunner[] = [];
let setup: ReminderSetup | undefined;
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
  await setup?.close();
  setup = undefined;
});
afterAll(() => deleteKeysWithPrefixes(url, cleanup));

describe('the reminder schedule (BullMQ Job Scheduler)', () => {
  it('is registered once however many instances start, with the cron and its time zone; REMINDER_ENABLED=false removes it', async () => {
    setup = await reminderSetup([], { REMINDER_CRON: '0 9 * * 1-5', REMINDER_TIMEZONE: 'Asia/Shanghai' });
    cleanup.push(`hrbot:${setup.config.feishu.appId}`);
    const prefix = `${root}:sched`;
    const a = createBullReminderRunner(setup.deps, { url, prefix });
    const b = createBullReminderRunner(setup.deps, { url, prefix });
    runners.push(a, b);
    await Promise.all([a.startWorker(), b.startWorker()]);
    const inspect = new Queue('reminders', { connection: { url }, prefix });
    try {
      const schedulers = await inspect.getJobSchedulers();
      expect(schedulers).toHaveLength(1);
      expect(schedulers[0]).toMatchObject({ key: SCHEDULER_ID, pattern: '0 9 * * 1-5', tz: 'Asia/Shanghai' });
      const off = createBullReminderRunner({ ...setup.deps, config: { ...setup.config, reminders: { ...setup.config.reminders, enabled: false } } }, { url, prefix });
      runners.push(off);
      await off.startWorker();
      expect(await inspect.getJobSchedulers()).toHaveLength(0);
    } finally {
      await inspect.close();
    }
  });

  it('one pass at a time across instances: a second start while one runs answers with the running pass id', async () => {
    setup = await reminderSetup([]);
    cleanup.push(`hrbot:${setup.config.feishu.appId}`);
    const prefix = `${root}:once`;
    const a = createBullReminderRunner(setup.deps, { url, prefix });
    const b = createBullReminderRunner(setup.deps, { url, prefix });
    runners.push(a, b);
    const first = await a.start();
    expect(first.started).toBe(true);
    expect(await b.start()).toEqual({ started: false, passId: first.passId });
    // Nobody works the queue here; the pass's job waits with ids only.
    const inspect = new Queue('reminders', { connection: { url }, prefix });
    try {
      const job = await inspect.getJob(first.passId!);
      const period = reminderPeriod(setup.config.reminders.cron, setup.config.timeZone, new Date());
      expect(job?.data).toEqual({ passId: first.passId, period });
    } finally {
      await inspect.close();
    }
  });
});

describe('two instances with the schedule', () => {
  it('run one pass per occurrence: everybody due gets one card, all from the same pass', { timeout: 90_000 }, async () => {
    const roster = syntheticRoster(30, randomUUID().slice(0, 6), new Date());
    setup = await reminderSetup(roster);
    cleanup.push(`hrbot:${setup.config.feishu.appId}`);
    // One occurrence a few seconds from now (the runner hands the pattern to BullMQ, which takes seconds).
    const at = new Date(Date.now() + 4000);
    const cron = `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`;
    const deps = { ...setup.deps, config: { ...setup.config, timeZone: 'UTC', reminders: { ...setup.config.reminders, cron } } };
    const prefix = `hrbot:${setup.config.feishu.appId}:bull`;
    const a = createBullReminderRunner(deps, { url, prefix });
    const b = createBullReminderRunner(deps, { url, prefix });
    runners.push(a, b);
    await Promise.all([a.startWorker(), b.startWorker()]);
    const due = roster.filter((_, i) => i % 10 !== 9).map((e) => e.openId);
    const { fake, keys, store } = { fake: setup.fake, keys: setup.deps.keys, store: setup.deps.store };
    const deadline = Date.now() + 60_000;
    // The pass has finished once the lock is free again after every due person got their card.
    while (fake.delivered().length < due.length || (await store.get(keys.reminderPassLock())) !== null) {
      if (Date.now() > deadline) throw new Error(`pass did not finish: ${fake.delivered().length}/${due.length} cards`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.delivered().map((r) => r.receiver).sort()).toEqual([...due].sort());
    const period = reminderPeriod(cron, 'UTC', new Date());
    const passes = new Set(await Promise.all(due.map((id) => store.get(keys.reminded(period, id)))));
    expect(passes.size).toBe(1);
    expect([...passes][0]).toMatch(new RegExp(`^pass-${period}-`));
  });
});

describe('the reminder card buttons', () => {
  const mock = installFeishuMock();
  it('run through the action registry for whoever clicks: "open balance" follows up privately, "stop" opts the clicker out', async () => {
    const t = createI18n().t('en-US');
    const balances = [{ leaveTypeId: FAKE_LEAVE_TYPES.annual.leaveTypeId, name: { 'en-US': 'Annual Leave' }, code: 'annual' as const, unit: 'day' as const, figures: { kind: 'cycle' as const, balance: 5, carriedOver: 0, grantedThisCycle: 5, taken: 0 } }];
    const card = reminderCard(balances, [], t, { locale: 'en-US', timeZone: 'Asia/Shanghai', now: new Date() });
    const values: Array<Record<string, unknown>> = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const o = v as Record<string, unknown>;
        if (o.action === 'run_intent') values.push(o);
        else Object.values(o).forEach(walk);
      }
    };
    walk(card);
    expect(values.map((v) => v.intent)).toEqual(['leave.balance', 'reminder.unsubscribe']);

    const { bot, store, keys } = makeBot(mock);
    const open = await bot.onCardAction(cardClick(values[0]!));
    expect(open.followUp).toBe(true);
    expect(open.card).toBeUndefined();
    const stop = await bot.onCardAction(cardClick(values[1]!, { operatorOpenId: 'ou_bob' }));
    expect(stop.card).toBeDefined();
    expect(await store.isInSet(keys.reminderOptOuts(), 'ou_bob')).toBe(true);
    expect(await store.isInSet(keys.reminderOptOuts(), 'ou_alice')).toBe(false);
  });
});
