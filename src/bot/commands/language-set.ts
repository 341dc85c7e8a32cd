import { buildNoticeCard } from '../../../cards/notice.js';
import type { Locale } from '../../config.js';
import type { I18n } from '../../i18n.js';
import type { Store } from '../../store/types.js';
import type { StoreKeys } from '../../store/keys.js';
import { saveLocale } from '../language.js';
import type { BotContext, Reply } from '../context.js';

/** `language.set`: stores the person's language; the confirmation is already in it. */
export async function languageSetCommand(
  ctx: BotContext,
  slots: { locale: Locale },
  deps: { store: Store; keys: StoreKeys; i18n: I18n },
): Promise<Reply> {
  await saveLocale(deps.store, deps.keys, ctx.openId, slots.locale);
  const t = deps.i18n.t(slots.locale);
  return { card: buildNoticeCard(t('language.title'), t('language.body'), 'green'), sensitive: false };
}
