/**
 * Reply languages for `language.set`: 英文/English → en-US, 中文/Chinese → zh-CN.
 */
import type { Locale } from '../types.js';

const NAMES = /(英文|英语|english|eng\b)|(中文|汉语|普通话|简体|华语|国语|chinese|mandarin)/g;
// When both are named ("把中文换成英文", "from Chinese to English") the target follows one of these.
const TARGET = /(?:[成为到用改]|to|into|in|use)\s*$/;

/**
 * The language a message asks the bot to reply in.
 *
 * @example extractLocale('请用英文回复') // → 'en-US'
 * @example extractLocale('switch from chinese to english') // → 'en-US'
 */
export function extractLocale(text: string): Locale | undefined {
  const found: Array<{ locale: Locale; index: number }> = [];
  for (const m of text.matchAll(NAMES)) found.push({ locale: m[1] ? 'en-US' : 'zh-CN', index: m.index });
  if (found.length === 0) return undefined;
  if (new Set(found.map((f) => f.locale)).size === 1) return found[0]?.locale;
  const target = found.find((f) => TARGET.test(text.slice(Math.max(0, f.index - 12), f.index)));
  return (target ?? found[found.length - 1])?.locale;
}
