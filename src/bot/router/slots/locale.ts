/**
 * Reply languages for `language.set`: 英文/English → en-US, 中文/Chinese → zh-CN.
 */
import type { Locale } from '../types.js';

// Codes count as names too ("lang en", "/lang zh", "locale en_US", "EN please").
const NAMES = /(英文|英语|洋文|english|\beng?(?![a-z]))|(中文|汉语|普通话|简体|华语|国语|chinese|mandarin|\bzh(?![a-z])|\bcn(?![a-z]))/g;
// When both are named ("把中文换成英文", "from Chinese to English") the target follows one of these.
const TARGET = /(?:[成为到用改]|to|into|in|use)\s*$/;
// "I can't read Chinese", "英文看不懂": the language named is the one *not* wanted.
const CANNOT_BEFORE = /(?:\b(?:can['’]?t|cannot|don['’]?t|do\s+not|doesn['’]?t)\s+(?:read|understand|speak)|看不懂|不懂|不会)\s*$/;
const CANNOT_AFTER = /^\s*(?:看不懂|不懂|读不懂|看不明白|不太懂|不好)/;
const OTHER: Readonly<Record<Locale, Locale>> = { 'zh-CN': 'en-US', 'en-US': 'zh-CN' };

/**
 * The language a message asks the bot to reply in.
 *
 * @example extractLocale('请用英文回复') // → 'en-US'
 * @example extractLocale('switch from chinese to english') // → 'en-US'
 */
export function extractLocale(text: string): Locale | undefined {
  const found: Array<{ locale: Locale; index: number }> = [];
  for (const m of text.matchAll(NAMES)) {
    const named: Locale = m[1] ? 'en-US' : 'zh-CN';
    const before = text.slice(Math.max(0, m.index - 24), m.index);
    const after = text.slice(m.index + m[0].length, m.index + m[0].length + 8);
    const refused = CANNOT_BEFORE.test(before) || CANNOT_AFTER.test(after);
    found.push({ locale: refused ? OTHER[named] : named, index: m.index });
  }
  if (found.length === 0) return undefined;
  if (new Set(found.map((f) => f.locale)).size === 1) return found[0]?.locale;
  const target = found.find((f) => TARGET.test(text.slice(Math.max(0, f.index - 12), f.index)));
  return (target ?? found[found.length - 1])?.locale;
}
