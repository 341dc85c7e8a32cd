/**
 * HR_CONTACT: an open_id or an https URL; error cards that tell the person to contact HR
 * then carry a button that does it (open_url: the page, or a chat with that person).
 */
import { describe, expect, it } from 'vitest';
import en from '../../locales/en-US.json' with { type: 'json' };
import zh from '../../locales/zh-CN.json' with { type: 'json' };
import { CONTACT_HR_KEYS, errorCard } from '../../cards/error.js';
import { ConfigError, loadConfig, parseHrContact } from '../../src/config.js';
import type { ButtonElement, Card, OpenUrlBehavior } from '../../src/feishu/card.js';
import { createI18n } from '../../src/i18n.js';
import { makeBot, textMessage } from '../support/bot-harness.js';
import { installFeishuMock } from '../support/feishu-mock.js';
import type { SelfService } from '../../src/services/self-service.js';
import { SelfServiceError } from '../../src/services/errors.js';

const mock = installFeishuMock();
const i18n = createI18n();
const ctx = { locale: 'en-US' as const, timeZone: 'Asia/Shanghai', now: new Date() };
const HR_OPEN_ID = 'ou_7d8a6e6df7621556ce0d21922b676706';
const REQUIRED = { FEISHU_APP_ID: 'cli_a1b2c3d4e5f60718', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 'v' };

/** The buttons of a card that open a URL. */
function urlButtons(card: Card): Array<{ label: string; url: string }> {
  const found: Array<{ label: string; url: string }> = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const o = node as Partial<ButtonElement>;
    if (o.tag === 'button') {
      const open = o.behaviors?.find((b): b is OpenUrlBehavior => b.type === 'open_url');
      if (open) found.push({ label: o.text!.content, url: open.default_url });
    }
    Object.values(node).forEach(walk);
  };
  walk(card.body.elements);
  return found;
}

describe('HR_CONTACT in the configuration', () => {
  it('takes an open_id or an https URL; the open_id becomes a link that opens a chat with that person', () => {
    expect(loadConfig({ ...REQUIRED }).hrContact).toBeUndefined();
    expect(loadConfig({ ...REQUIRED, HR_CONTACT: HR_OPEN_ID }).hrContact).toEqual({
      kind: 'openId',
      openId: HR_OPEN_ID,
      url: `https://applink.feishu.cn/client/chat/open?openId=${HR_OPEN_ID}`,
    });
    expect(loadConfig({ ...REQUIRED, HR_CONTACT: ' https://hr.example.com/help ' }).hrContact).toEqual({ kind: 'url', url: 'https://hr.example.com/help' });
    // Lark tenants open applinks on larksuite.com.
    expect(parseHrContact(HR_OPEN_ID, 'https://open.larksuite.com')?.url).toBe(`https://applink.larksuite.com/client/chat/open?openId=${HR_OPEN_ID}`);
  });

  it('refuses anything else with one plain line', () => {
    for (const bad of ['http://hr.example.com', 'hr@example.com', 'javascript:alert(1)', 'ou_', 'oc_123']) {
      let problem: ConfigError | undefined;
      try {
        loadConfig({ ...REQUIRED, HR_CONTACT: bad });
      } catch (err) {
        problem = err as ConfigError;
      }
      expect(problem?.problems, bad).toEqual(['HR_CONTACT must be an open_id (ou_…) or an https:// URL']);
    }
  });
});

describe('the Contact HR button on error cards', () => {
  const contact = { kind: 'url' as const, url: 'https://hr.example.com/help' };

  it('every error text that tells the person to contact HR is one that gets the button', () => {
    const saysContact = Object.entries(en.errors)
      // `contactHr` is the button's own label.
      .filter(([key, text]) => key !== 'contactHr' && typeof text === 'string' && /contact HR/i.test(text))
      .map(([key]) => `errors.${key}`);
    expect(saysContact.length).toBeGreaterThan(0);
    expect([...CONTACT_HR_KEYS].sort()).toEqual(saysContact.sort());
    for (const key of CONTACT_HR_KEYS) expect((zh.errors as Record<string, string>)[key.slice('errors.'.length)]).toContain('联系 HR');
  });

  it('with HR_CONTACT: the button opens it, in the reader’s language; without: no button', () => {
    const failure = { key: 'errors.noHrRecord', code: '1160006', retryable: false };
    expect(urlButtons(errorCard(failure, i18n.t('en-US'), ctx, undefined, contact))).toEqual([{ label: 'Contact HR', url: contact.url }]);
    expect(urlButtons(errorCard(failure, i18n.t('zh-CN'), { ...ctx, locale: 'zh-CN' }, undefined, contact))).toEqual([{ label: '联系 HR', url: contact.url }]);
    expect(urlButtons(errorCard(failure, i18n.t('en-US'), ctx))).toEqual([]);
  });

  it('error cards that do not say "contact HR" get no button', () => {
    const c = errorCard({ key: 'errors.upstream', retryable: true }, i18n.t('en-US'), ctx, { intent: 'payslip', slots: {} }, contact);
    expect(urlButtons(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain('Try again');
  });

  it('through the bot: a person without an HR record gets the button that opens a chat with HR', async () => {
    const selfService: SelfService = {
      payslip: () => Promise.reject(new SelfServiceError({ key: 'errors.noHrRecord', retryable: false })),
      leaveBalances: () => Promise.reject(new Error('not used')),
      lumpSums: () => Promise.reject(new Error('not used')),
    };
    const { bot } = makeBot(mock, { env: { HR_CONTACT: HR_OPEN_ID }, extra: { selfService } });
    await bot.onMessage(textMessage('my payslip'));
    const card = JSON.parse(mock.sent[0]!.content) as Card;
    expect(urlButtons(card)).toEqual([{ label: 'Contact HR', url: `https://applink.feishu.cn/client/chat/open?openId=${HR_OPEN_ID}` }]);
    // An open_url button carries no callback value: pressing it never reaches the bot.
    expect(JSON.stringify(card)).not.toContain('"callback"');
  });
});
