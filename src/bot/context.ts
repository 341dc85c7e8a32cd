import type { Card } from '../feishu/card.js';
import type { Locale } from '../domain/locales.js';
import type { Translate } from '../i18n.js';

/**
 * Who asked, in which language, and when: one per message or card click. It names no
 * chat on purpose: where an answer goes is decided by the delivery rule, never by a handler.
 */
export interface BotContext {
  /** The asker (message sender or the person who clicked). All HR data is theirs only. */
  openId: string;
  locale: Locale;
  t: Translate;
  now: Date;
  /** The app's time zone (`config.timeZone`) for "today" and dates shown to people. */
  timeZone: string;
  /**
   * People the message @-mentions (their open_ids from the event's mentions; the bot and
   * @all left out). Absent for card clicks. Never a name guessed from text.
   */
  mentions?: string[];
  /**
   * The card goes where several people read it (a group): build nothing that depends on
   * one reader (e.g. a "switch to the other language" button). Absent for private answers.
   */
  shared?: boolean;
}

/**
 * What a handler answers with. `sensitive` cards carry the person's own HR data: the bot
 * sends them only to that person, by open_id (in a group it posts a notice without figures).
 */
export interface Reply {
  card: Card;
  sensitive: boolean;
}
