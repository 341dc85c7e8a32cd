/**
 * "Turn on balance reminders" names the next run in the person's own time zone (Feishu
 * contact, `user.time_zone`), and says which zone it is; when contact has none, answers
 * an error or is slow, the time is in the app's zone (REMINDER_TIMEZONE), named as such.
 */
import { delay, http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { createPersonZones } from '../../src/bot/person-zone.js';
import { feishuClientFor } from '../../src/feishu/client.js';
import { silentLogger } from '../../src/log.js';
import { createMetrics } from '../../src/metrics.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { cardOf, makeBot, textMessage } from '../support/bot-harness.js';
import { feishuError, installFeishuMock } from '../support/feishu-mock.js';
import { testConfig } from '../support/test-config.js';

const mock = installFeishuMock();
const USERS = '/open-apis/contact/v3/users';

/** 2025-03-15 12:00 in Shanghai; the monthly cron's next run is 2025-04-01 10:00 Asia/Shanghai = 02:00 UTC. */
const NOW = new Date('2025-03-15T04:00:00Z');
const NEXT = new Date('2025-04-01T02:00:00Z');
const env = { REMINDER_CRON: '0 10 1 * *', REMINDER_TIMEZONE: 'Asia/Shanghai' };
const shown = (locale: string, timeZone: string) => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(NEXT);

function contactAnswers(user: Record<string, unknown>) {
  mock.use(
    http.get(`${mock.baseUrl}${USERS}/:userId`, ({ request, params }) =>
      mock.authError(request) ?? HttpResponse.json({ code: 0, msg: 'success', data: { user: { open_id: params.userId, ...user } } }),
    ),
  );
}

const replyText = () => JSON.stringify(cardOf(mock.sent.at(-1)!.content));

describe('the reminder opt-in reply names the next run in the person’s time zone', () => {
  it('in the zone Feishu contact gives for the person, named; looked up once, then cached', async () => {
    contactAnswers({ time_zone: 'Europe/Berlin' });
    const { bot } = makeBot(mock, { env, now: () => NOW });
    await bot.onMessage(textMessage('turn on balance reminders'));
    const text = replyText();
    expect(text).toContain(shown('en-US', 'Europe/Berlin'));
    expect(text).toMatch(/Apr 1, 2025, 4:00/); // 10:00 in Shanghai is 04:00 in Berlin (summer time)
    expect(text).toContain('your time zone, Europe/Berlin');
    const calls = mock.callsTo(USERS);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.path).toBe(`${USERS}/ou_alice`);
    expect(calls[0]!.query.get('user_id_type')).toBe('open_id');

    await bot.onMessage(textMessage('turn on balance reminders'));
    expect(replyText()).toContain('your time zone, Europe/Berlin');
    expect(mock.callsTo(USERS)).toHaveLength(1);
  });

  it('in Chinese, for a person in New York: the evening before, in their zone', async () => {
    contactAnswers({ time_zone: 'America/New_York' });
    const { bot } = makeBot(mock, { env, now: () => NOW });
    await bot.onMessage(textMessage('开启假期余额提醒'));
    const text = replyText();
    expect(text).toContain(shown('zh-CN', 'America/New_York'));
    expect(text).toContain('3月31日');
    expect(text).toContain('你的时区 America/New_York');
  });

  for (const [why, answer] of [
    ['contact refuses (no permission)', () => mock.use(http.get(`${mock.baseUrl}${USERS}/:userId`, () => feishuError(400, 99991672, 'Access denied')))],
    ['contact has no time zone for the person', () => contactAnswers({})],
    ['contact gives a zone this runtime does not know', () => contactAnswers({ time_zone: 'Mars/Olympus_Mons' })],
  ] as const) {
    it(`in the app's zone, named as such, when ${why}`, async () => {
      answer();
      const { bot } = makeBot(mock, { env, now: () => NOW });
      await bot.onMessage(textMessage('turn on balance reminders'));
      const text = replyText();
      expect(text).toContain(shown('en-US', 'Asia/Shanghai'));
      expect(text).toMatch(/Apr 1, 2025, 10:00/);
      expect(text).toContain('Asia/Shanghai time');
      expect(text).not.toContain('your time zone');
    });
  }

  it('a slow contact answer is not waited for: the app zone then, and asked again next time', async () => {
    const config = testConfig({ FEISHU_BASE_URL: mock.baseUrl, ...env });
    const feishu = feishuClientFor(config, { store: createMemoryStore(), logger: silentLogger, metrics: createMetrics() });
    let slow = true;
    mock.use(
      http.get(`${mock.baseUrl}${USERS}/:userId`, async () => {
        if (slow) await delay(1500);
        return HttpResponse.json({ code: 0, msg: 'success', data: { user: { time_zone: 'Asia/Tokyo' } } });
      }),
    );
    const zoneOf = createPersonZones({ api: feishu.api, fallback: 'Asia/Shanghai', logger: silentLogger, waitMs: 200 });
    expect(await zoneOf('ou_bob')).toEqual({ zone: 'Asia/Shanghai', own: false });
    slow = false;
    // (A question while the slow one is still in flight would share it: identical reads are coalesced.)
    await new Promise((r) => setTimeout(r, 1500));
    expect(await zoneOf('ou_bob')).toEqual({ zone: 'Asia/Tokyo', own: true });
    expect(mock.callsTo(USERS).length).toBeGreaterThanOrEqual(2);
  });

  it('says the schedule is off, and asks nobody, when REMINDER_ENABLED=false', async () => {
    contactAnswers({ time_zone: 'Europe/Berlin' });
    const { bot } = makeBot(mock, { env: { ...env, REMINDER_ENABLED: 'false' }, now: () => NOW });
    await bot.onMessage(textMessage('turn on balance reminders'));
    expect(replyText()).toContain('switched off');
    expect(mock.callsTo(USERS)).toHaveLength(0);
  });
});
