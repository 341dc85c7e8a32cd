/**
 * The registries are complete: every intent of the contract has a module with a slot
 * schema, a handler and text in both languages; every card action has a value schema,
 * and every button the bot draws parses with its action's schema.
 */
import { describe, expect, it } from 'vitest';
import zh from '../../../locales/zh-CN.json' with { type: 'json' };
import en from '../../../locales/en-US.json' with { type: 'json' };
import { errorCard } from '../../../cards/error.js';
import { helpCard } from '../../../cards/help.js';
import { unknownCard } from '../../../cards/unknown.js';
import { ACTION_LIST, ACTIONS } from '../../../src/bot/actions/registry.js';
import { INTENT_LIST, INTENTS, SUGGESTABLE_INTENTS, buildIntents, helpLines, parseIntent } from '../../../src/bot/intents/registry.js';
import { INTENT_NAMES } from '../../../src/domain/intents.js';
import { LOCALES } from '../../../src/domain/locales.js';
import { createI18n } from '../../../src/i18n.js';
import { silentLogger } from '../../../src/log.js';
import { createMemoryStore } from '../../../src/store/memory.js';
import { storeKeys } from '../../../src/store/keys.js';
import { testConfig } from '../../support/test-config.js';
import { callbackValues } from '../../support/card-values.js';

const CATALOGUES = { 'zh-CN': zh, 'en-US': en } as const;

/** True when `key` has text in `catalogue` (top-level section, then a nested or dotted key). */
function hasText(catalogue: Record<string, unknown>, key: string): boolean {
  const [section, ...rest] = key.split('.');
  const within = catalogue[section ?? ''] as Record<string, unknown> | undefined;
  if (!within) return false;
  const flat = within[rest.join('.')];
  if (typeof flat === 'string' && flat.trim()) return true;
  let node: unknown = within;
  for (const part of rest) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === 'string' && node.trim() !== '';
}


describe('intent registry', () => {
  it('has exactly one module per intent of the contract, under its own name', () => {
    expect(Object.keys(INTENTS).sort()).toEqual([...INTENT_NAMES].sort());
    for (const [name, command] of Object.entries(INTENTS)) expect(command.name).toBe(name);
  });

  it.each(INTENT_NAMES)('%s has a slot schema, a handler and a name in both languages', (name) => {
    const command = INTENTS[name];
    expect(typeof command.slots.safeParse).toBe('function');
    const config = testConfig({});
    const handler = command.build({
      config,
      store: createMemoryStore(),
      keys: storeKeys(config.feishu.appId),
      i18n: createI18n(),
      logger: silentLogger,
      helpLines,
    });
    expect(typeof handler).toBe('function');
    for (const locale of LOCALES) expect(hasText(CATALOGUES[locale], `intents.${name}`), `${locale} intents.${name}`).toBe(true);
  });

  it.each(LOCALES)('every help line and help button has text in %s', (locale) => {
    const lines = helpLines(locale);
    expect(lines.length).toBeGreaterThan(0);
    for (const { line, button } of lines) {
      for (const lang of LOCALES) {
        expect(hasText(CATALOGUES[lang], line), `${lang} ${line}`).toBe(true);
        if (button) expect(hasText(CATALOGUES[lang], button.label), `${lang} ${button.label}`).toBe(true);
      }
    }
  });

  it('suggests only intents a button may run; only HR-data answers (self-service, grant records) are sensitive', () => {
    for (const name of SUGGESTABLE_INTENTS) expect(INTENTS[name].fromButton).toBe(true);
    expect(INTENT_LIST.filter((c) => c.sensitive).map((c) => c.name).sort()).toEqual(['accrual.edit', 'leave.balance', 'lump_sum', 'payslip']);
    expect(INTENTS['accrual.edit'].fromButton).toBe(false);
    expect(INTENTS.unknown.fromButton).toBe(false);
  });

  it('validates slots once, with one schema for years, months and dates', () => {
    expect(parseIntent('lump_sum', { year: 2024 })).toEqual({ intent: 'lump_sum', slots: { year: 2024 } });
    expect(parseIntent('lump_sum', { year: 1999 })).toBeUndefined();
    expect(parseIntent('payslip', { month: '2025-13' })).toBeUndefined();
    expect(parseIntent('leave.balance', { asOf: '2025-02-30' })).toBeUndefined();
    expect(parseIntent('leave.balance', { asOf: '2024-02-29', leaveType: 'annual' })).toBeDefined();
    expect(parseIntent('nope', {})).toBeUndefined();
  });

  it('dispatches every intent through the table', async () => {
    const config = testConfig({});
    const run = buildIntents({ config, store: createMemoryStore(), keys: storeKeys(config.feishu.appId), i18n: createI18n(), logger: silentLogger });
    const t = createI18n().t('en-US');
    const ctx = { openId: 'ou_1', locale: 'en-US' as const, t, now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' };
    const reply = await run(ctx, { intent: 'help', slots: {} });
    expect(reply.card.header?.title.content).toBe('What HR Assistant can do');
  });
});

describe('card-action registry', () => {
  it('every action has a value schema under its own name', () => {
    expect(ACTION_LIST.length).toBeGreaterThan(0);
    for (const [name, action] of Object.entries(ACTIONS)) {
      expect(action.name).toBe(name);
      expect(typeof action.value.safeParse).toBe('function');
    }
  });

  it.each(LOCALES)('every button the bot draws (%s) parses with its action schema', (locale) => {
    const t = createI18n().t(locale);
    const ctx = { locale, timeZone: 'Asia/Shanghai', now: new Date('2025-03-15T04:00:00Z') };
    const cards = [
      helpCard(t, helpLines(locale)),
      unknownCard(t, [...SUGGESTABLE_INTENTS]),
      errorCard({ key: 'errors.upstream', retryable: true }, t, ctx, { intent: 'payslip', slots: { month: '2025-01' } }),
    ];
    const values = cards.flatMap(callbackValues);
    expect(values.length).toBeGreaterThan(5);
    for (const value of values) {
      const action = ACTION_LIST.find((a) => a.name === value.action);
      expect(action, JSON.stringify(value)).toBeDefined();
      expect(action!.value.safeParse(value).success, JSON.stringify(value)).toBe(true);
    }
  });
});
