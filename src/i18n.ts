import i18next, { type TFunction } from 'i18next';
import zh from '../locales/zh-CN.json' with { type: 'json' };
import en from '../locales/en-US.json' with { type: 'json' };
import { LOCALES, type Locale } from './domain/locales.js';

export type Translate = TFunction;

/**
 * One i18next instance for the process; every request gets a fixed `t` for its
 * person's language (never `changeLanguage` on the shared instance).
 *
 * @example
 * const i18n = createI18n()
 * const t = i18n.t('en-US')
 * t('help.title')
 */
export function createI18n() {
  const instance = i18next.createInstance();
  void instance.init({
    resources: { 'zh-CN': { bot: zh }, 'en-US': { bot: en } },
    ns: ['bot'],
    defaultNS: 'bot',
    supportedLngs: [...LOCALES],
    fallbackLng: 'zh-CN',
    load: 'currentOnly',
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return {
    t: (locale: Locale): Translate => instance.getFixedT(locale),
  };
}

export type I18n = ReturnType<typeof createI18n>;
