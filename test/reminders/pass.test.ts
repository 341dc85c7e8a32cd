import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { syntheticRoster } from '../../bench/roster.js';
import { runReminderPass } from '../../src/reminders/pass.js';
import { reminderPeriod } from '../../src/reminders/period.js';
import { deleteKeysWithPrefixes } from '../support/redis-cleanup.js';
import { cardText, reminderSetup, type ReminderSetup } from './support.js';

const url = process.env.TEST_REDIS_URL!;
const prefixes: string[] = [];
let setup: ReminderSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});
afterAll(() => deleteKeysWithPrefixes(url, prefixes));

async function start(n: number, tag = randomUUID().slice(0, 6)) {
  const roster = syntheticRoster(n, tag, new Date());
  setup = await reminderSetup(roster);
  prefixes.push(`hrbot:${setup.config.feishu.appId}`);
  const period = reminderPeriod(setup.config.reminders.cron, setup.config.timeZone, new Date());
  return { roster, period, ...setup };
}

describe('a reminder pass', () => {
  it('sends exactly one card to each due person, in their language, with the grants expiring within 60 days', async () => {
    const { roster, period, fake, deps } = await start(300);
    const optedOut = roster[1]!.openId;
    const english = roster[8]!.openId; // annual and compensatory grants expiring soon
    await deps.store.addToSet(deps.keys.reminderOptOuts(), optedOut);
    await deps.store.set(deps.keys.userLocale(english), 'en-US');

    const summary = await runReminderPass(deps, { passId: 'pass-a', period });

    const zero = roster.filter((_, i) => i % 10 === 9).map((e) => e.openId);
    const due = roster.map((e) => e.openId).filter((id) => id !== optedOut && !zero.includes(id));
    const delivered = fake.delivered();
    expect(summary.failures).toEqual({});
    expect(delivered.map((r) => r.receiver).sort()).toEqual([...due].sort());
    expect(new Set(delivered.map((r) => r.uuid)).size).toBe(delivered.length);
    expect(summary).toMatchObject({ pages: 3, employees: 300, due: due.length, sent: due.length, failed: 0 });
    expect(summary.skipped).toEqual({ optedOut: 1, zeroBalance: zero.length, alreadyReminded: 0 });
    // One walk of the report; at most two expire-record calls per person (429s and the timing
    // against the published limits are measured by `npm run bench`, not here).
    expect(fake.hrCalls().balancePages).toBe(3);
    expect(fake.hrCalls().expireRecords).toBeLessThanOrEqual(2 * due.length);

    const cardFor = (openId: string) => cardText(delivered.find((r) => r.receiver === openId)!.content);
    const en = cardFor(english);
    expect(en).toContain('Annual Leave');
    expect(en).toMatch(/3\.5 days of Annual Leave expire on/);
    expect(en).toMatch(/1 day of Compensatory Leave expire on/);
    expect(en).toContain('Stop these reminders');
    const zh = cardFor(roster[4]!.openId); // annual grant expiring soon; the 120-day one is not named
    expect(zh).toContain('即将过期');
    expect(zh).toMatch(/年假 3\.5 天将于/);
    expect(zh).not.toMatch(/年假 2 天将于/);
    const plain = cardFor(roster[3]!.openId); // nothing expiring
    expect(plain).toContain('年假');
    expect(plain).not.toContain('即将过期');
  });

  it('sends nothing new when run again in the same period', async () => {
    const { period, fake, deps } = await start(40);
    const first = await runReminderPass(deps, { passId: 'pass-1', period });
    const second = await runReminderPass(deps, { passId: 'pass-2', period });
    expect(first.sent).toBe(36);
    expect(second).toMatchObject({ due: 0, sent: 0, failed: 0 });
    expect(second.skipped.alreadyReminded).toBe(36);
    expect(fake.receipts.filter((r) => r.outcome !== 'rate_limited')).toHaveLength(36);
  });

  it('resumes from a checkpoint: pages already served are not walked again', async () => {
    const { period, fake, deps } = await start(250);
    const checkpoints: Array<string | undefined> = [];
    await runReminderPass(deps, { passId: 'pass-c', period, onCheckpoint: async (c) => void checkpoints.push(c) });
    expect(checkpoints).toEqual(['100', '200', undefined]);
    const pagesBefore = fake.hrCalls().balancePages;
    const resumed = await runReminderPass(deps, { passId: 'pass-c', period, cursor: '200' });
    expect(fake.hrCalls().balancePages - pagesBefore).toBe(1);
    expect(resumed).toMatchObject({ employees: 50, sent: 0, failed: 0 });
  });

  it('counts a person whose card could not be sent as failed, and serves them in the next pass of the period', async () => {
    const { roster, period, fake, deps } = await start(12);
    const unlucky = roster[2]!.openId;
    fake.unreachable.add(unlucky);
    const first = await runReminderPass(deps, { passId: 'pass-f1', period });
    expect(first).toMatchObject({ due: 11, sent: 10, failed: 1, failures: { 'feishu:im.message.create:230013': 1 } });
    fake.unreachable.delete(unlucky);
    const second = await runReminderPass(deps, { passId: 'pass-f2', period });
    expect(second).toMatchObject({ due: 1, sent: 1, failed: 0 });
    expect(fake.delivered().filter((r) => r.receiver === unlucky)).toHaveLength(1);
  });
});
