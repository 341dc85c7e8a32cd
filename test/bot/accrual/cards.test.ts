/**
 * The accrual-edit cards: Card JSON 2.0 within Feishu's limits, text in the reader's
 * language, every documented PATCH code in words, buttons that carry only id + version.
 */
import { describe, expect, it } from 'vitest';
import zh from '../../../locales/zh-CN.json' with { type: 'json' };
import en from '../../../locales/en-US.json' with { type: 'json' };
import { ACCRUAL_ACTIONS, approvalCard, confirmCard, outcomeCard, proposalFormCard } from '../../../cards/accrual-edit.js';
import { ACTION_LIST } from '../../../src/bot/actions/registry.js';
import { CLICK_LOCALE_FIELD, clickLocaleOf, withoutClickLocale } from '../../../src/bot/actions/click-locale.js';
import { PATCH_ERROR_CODES, writeErrorText } from '../../../src/bot/accrual/write-errors.js';
import { EDIT_STATUSES, type EditRequest } from '../../../src/domain/accrual-edit.js';
import { LOCALES } from '../../../src/domain/locales.js';
import { CARD_MAX_BYTES, CARD_MAX_COMPONENTS, cardBytes, cardComponents, type Card } from '../../../src/feishu/card.js';
import { createI18n } from '../../../src/i18n.js';
import { buttonsOf } from './harness.js';

const i18n = createI18n();
const request: EditRequest = {
  id: '6f1c2a7e-3b1d-4e0f-9a55-2c8e4f1b7d90',
  version: 2,
  status: 'pending',
  requester: 'ou_requester',
  employee: 'ou_employee',
  leaveTypeId: '7002',
  leaveTypeName: { 'zh-CN': '年假', 'en-US': 'Annual Leave' },
  recordId: '6893014062142064135',
  before: { quantity: '3', expirationDate: '2026-12-31', unit: 'day' },
  after: { quantity: '2.5' },
  reason: '补'.repeat(3000),
  createdAt: 0,
  expiresAt: 7 * 24 * 3600_000,
  attempts: 0,
};

describe.each(LOCALES)('accrual cards in %s', (locale) => {
  const t = i18n.t(locale);
  const types = Array.from({ length: 80 }, (_, i) => ({ id: String(7000 + i), name: `Leave type with a long name ${i}` }));
  const cards: Array<[string, Card]> = [
    ['confirm', confirmCard(request, t, locale)],
    ['approval', approvalCard(request, t, locale, { expiresOn: '2026-06-08' })],
    ['nudge', approvalCard(request, t, locale, { expiresOn: '2026-06-08', nudge: true })],
    ['form', proposalFormCard({ reason: 'x'.repeat(3000) }, types, t, 'problem')],
    ...EDIT_STATUSES.map((status): [string, Card] => [
      `outcome ${status}`,
      outcomeCard({ ...request, status, decidedBy: 'ou_approver1', rejectReason: 'r'.repeat(1000), errorCode: 1220012 }, t, locale, { errorText: writeErrorText(t, 1220012), forApprover: true }),
    ]),
  ];

  it.each(cards)('%s is Card JSON 2.0 within 30 KB and 200 components', (_name, card) => {
    expect(card.schema).toBe('2.0');
    expect(cardBytes(card)).toBeLessThanOrEqual(CARD_MAX_BYTES);
    expect(cardComponents(card)).toBeLessThanOrEqual(CARD_MAX_COMPONENTS);
  });

  it("buttons carry only the action, the request id, the version and the card's language, and parse with their action", () => {
    for (const [, card] of cards) {
      for (const value of buttonsOf(JSON.stringify(card))) {
        const action = ACTION_LIST.find((a) => a.name === value.action);
        expect(action, JSON.stringify(value)).toBeDefined();
        // The registry strips and validates the language field before the action's own schema.
        expect(action!.value.safeParse(withoutClickLocale(value)).success).toBe(true);
        if (value.action !== ACCRUAL_ACTIONS.form) {
          expect(Object.keys(value).sort()).toEqual(['action', 'id', CLICK_LOCALE_FIELD, 'v']);
          expect(clickLocaleOf(value)).toBe(locale);
        }
      }
    }
  });

  it('says "before" is unknown when the record could not be looked up', () => {
    const card = JSON.stringify(confirmCard({ ...request, before: null }, t, locale));
    expect(card).toContain(JSON.stringify(t('accrual.beforeUnknown')).slice(1, -1));
    expect(card).toContain(`${t('accrual.unknown')} → **2.5**`);
  });
});

describe('failed writes in words', () => {
  it.each(PATCH_ERROR_CODES)('code %d has its own sentence in both languages', (code) => {
    const texts = LOCALES.map((l) => writeErrorText(i18n.t(l), code));
    for (const text of texts) {
      expect(text).not.toContain('accrual.errors');
      expect(text).not.toContain(String(code));
    }
    expect(texts[0]).not.toBe(texts[1]);
  });

  it('every documented code differs from the others, and both catalogues list the same codes', () => {
    const en1 = PATCH_ERROR_CODES.map((c) => writeErrorText(i18n.t('en-US'), c));
    expect(new Set(en1).size).toBe(PATCH_ERROR_CODES.length);
    expect(Object.keys(zh.accrual.errors).sort()).toEqual(Object.keys(en.accrual.errors).sort());
    expect(writeErrorText(i18n.t('en-US'), 99)).toContain('99');
    expect(writeErrorText(i18n.t('en-US'), 0)).toContain('did not answer');
  });
});
