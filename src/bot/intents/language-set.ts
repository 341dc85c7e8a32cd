import { noticeCard } from '../../../cards/notice.js';
import { otherLocale } from '../../domain/locales.js';
import { LanguageSetSlots } from '../../domain/slots.js';
import { saveLocale } from '../language.js';
import { defineCommand } from './types.js';

/** `language.set`: stores the person's language; the confirmation is already in it. */
export const languageSetCommand = defineCommand({
  name: 'language.set',
  slots: LanguageSetSlots,
  sensitive: false,
  fromButton: true,
  menu: { key: 'language', slots: (locale) => ({ locale: otherLocale(locale) }) },
  suggest: false,
  help: { line: 'help.language', button: 'help.btnLanguage', slots: (locale) => ({ locale: otherLocale(locale) }) },
  build: ({ store, keys, i18n }) =>
    async (ctx, slots) => {
      await saveLocale(store, keys, ctx.openId, slots.locale);
      const t = i18n.t(slots.locale);
      return { card: noticeCard(t('language.title'), t('language.body'), 'green'), sensitive: false };
    },
});
