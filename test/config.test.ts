import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { normaliseLocale } from '../src/domain/locales.js';

const required = { FEISHU_APP_ID: 'cli_a', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 'v' };

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies the contract defaults', () => {
    const c = loadConfig(required);
    expect(c.feishu.baseUrl).toBe('https://open.feishu.cn');
    expect(c.feishu.eventMode).toBe('webhook');
    expect(c.http).toEqual({ port: 3000, host: '0.0.0.0' });
    expect(c.redisUrl).toBeUndefined();
    expect(c.reminders).toEqual({ cron: '0 10 1 * *', enabled: true, expiryLeaveTypes: ['annual', 'compensatory'] });
    expect(c.timeZone).toBe('Asia/Shanghai');
    expect(c.defaultLocale).toBe('zh-CN');
    expect(c.leaveProvider).toBe('feishu');
    expect(c.adminToken).toBeUndefined();
    expect(c.feishu.legacyCardCallbacks).toBe(false);
    expect(c.logLevel).toBe('info');
  });

  it('turns legacy card callbacks on only when asked', () => {
    expect(loadConfig({ ...required, FEISHU_LEGACY_CARD_CALLBACKS: 'true' }).feishu.legacyCardCallbacks).toBe(true);
    expect(loadConfig({ ...required, FEISHU_LEGACY_CARD_CALLBACKS: 'false' }).feishu.legacyCardCallbacks).toBe(false);
    expect(problems({ ...required, FEISHU_LEGACY_CARD_CALLBACKS: 'sometimes' })).toEqual([
      expect.stringMatching(/^FEISHU_LEGACY_CARD_CALLBACKS expected true or false/),
    ]);
  });

  it('refuses an ADMIN_TOKEN shorter than 32 characters in one line that does not repeat it', () => {
    const short = 'adm-secret-31-characters-long-x';
    expect(short).toHaveLength(31);
    const list = problems({ ...required, ADMIN_TOKEN: short });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(/^ADMIN_TOKEN must be at least 32 characters/);
    expect(list[0]).not.toContain(short);
    expect(list[0]).not.toContain('\n');
    const long = `${short}y`;
    expect(loadConfig({ ...required, ADMIN_TOKEN: long }).adminToken).toBe(long);
  });

  it('reads lists, booleans and URLs', () => {
    const c = loadConfig({
      ...required,
      HR_REQUESTERS: 'ou_a, ou_b,,',
      HR_APPROVERS: 'ou_c',
      REMINDER_ENABLED: 'false',
      FEISHU_BASE_URL: 'https://open.larksuite.com/',
      REDIS_URL: 'redis://127.0.0.1:6379',
      PORT: '8080',
    });
    expect(c.hr).toEqual({ requesters: ['ou_a', 'ou_b'], approvers: ['ou_c'] });
    expect(c.reminders.enabled).toBe(false);
    expect(c.feishu.baseUrl).toBe('https://open.larksuite.com');
    expect(c.http.port).toBe(8080);
  });

  it('names every problem on its own line', () => {
    const list = problems({
      FEISHU_APP_ID: 'cli_a',
      PORT: 'abc',
      REMINDER_TIMEZONE: 'Mars/Olympus',
      DEFAULT_LOCALE: 'fr-FR',
      REDIS_URL: 'http://x',
      REMINDER_CRON: 'every day',
      REMINDER_ENABLED: 'maybe',
    });
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^FEISHU_APP_SECRET is required/),
        expect.stringMatching(/^FEISHU_VERIFICATION_TOKEN is required/),
        expect.stringMatching(/^PORT /),
        expect.stringMatching(/^REMINDER_TIMEZONE must be an IANA time zone/),
        expect.stringMatching(/^DEFAULT_LOCALE must be zh-CN or en-US/),
        expect.stringMatching(/^REDIS_URL must start with redis:\/\//),
        expect.stringMatching(/^REMINDER_CRON must be a five-field cron/),
        expect.stringMatching(/^REMINDER_ENABLED expected true or false/),
      ]),
    );
    expect(list.every((l) => !l.includes('\n'))).toBe(true);
  });

  it('requires the CompanyFlow settings only with LEAVE_PROVIDER=companyflow', () => {
    expect(problems({ ...required, LEAVE_PROVIDER: 'companyflow', COMPANYFLOW_BASE_URL: 'https://cf.example' })).toEqual([
      'COMPANYFLOW_TOKEN_URL is required when LEAVE_PROVIDER=companyflow',
      'COMPANYFLOW_CLIENT_ID is required when LEAVE_PROVIDER=companyflow',
      'COMPANYFLOW_CLIENT_SECRET is required when LEAVE_PROVIDER=companyflow',
      'COMPANYFLOW_LEAVE_TYPE_IDS is required when LEAVE_PROVIDER=companyflow',
    ]);
    const c = loadConfig({
      ...required,
      LEAVE_PROVIDER: 'companyflow',
      COMPANYFLOW_BASE_URL: 'https://cf.example/',
      COMPANYFLOW_TOKEN_URL: 'https://cf.example/oauth/token',
      COMPANYFLOW_CLIENT_ID: 'id',
      COMPANYFLOW_CLIENT_SECRET: 'secret',
      COMPANYFLOW_LEAVE_TYPE_IDS: 'a1b2c3d4-e5f6-7890-abcd-ef1234567890',
    });
    expect(c.companyflow?.baseUrl).toBe('https://cf.example');
    expect(c.companyflow?.leaveTypeIds).toEqual(['a1b2c3d4-e5f6-7890-abcd-ef1234567890']);
  });

  it('BOT_ROLE: all by default; web and worker only with REDIS_URL; nothing else', () => {
    expect(loadConfig(required).role).toBe('all');
    expect(loadConfig({ ...required, BOT_ROLE: 'worker', REDIS_URL: 'redis://r:6379' }).role).toBe('worker');
    for (const role of ['web', 'worker']) {
      const err = (() => {
        try {
          loadConfig({ ...required, BOT_ROLE: role });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([`REDIS_URL is required when BOT_ROLE=${role} (web and worker processes share work through Redis)`]);
    }
    expect(() => loadConfig({ ...required, BOT_ROLE: 'both' })).toThrow(/BOT_ROLE must be "all", "web" or "worker"/);
  });

  it('normalises Feishu and human locale spellings', () => {
    expect(normaliseLocale('zh_cn')).toBe('zh-CN');
    expect(normaliseLocale('EN_us')).toBe('en-US');
    expect(normaliseLocale('ja_jp')).toBeUndefined();
    expect(normaliseLocale(undefined)).toBeUndefined();
  });
});
