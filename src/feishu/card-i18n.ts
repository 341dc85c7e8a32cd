import type { Locale } from '../domain/locales.js';
import type { Card, CardLocale } from './card.js';

/** Feishu's key for each of the bot's locales inside card JSON. */
export const CARD_LOCALE: Record<Locale, CardLocale> = { 'zh-CN': 'zh_cn', 'en-US': 'en_us' };

/** Text-bearing nodes whose `content` may carry `i18n_content` (Card JSON 2.0, local multi-language). */
const TEXT_TAGS = new Set(['plain_text', 'markdown', 'lark_md']);

/**
 * One card that shows each reader their own language, from the same card built once per
 * language: every text (`plain_text`, `markdown`, the header's title and subtitle, the
 * summary) gets `i18n_content` with both versions, `content` keeps the `primary`
 * language for clients outside both, and `config.locales` names the two. Card JSON 2.0
 * has no global `i18n_elements`, so the two builds must have the same structure; when
 * they differ anywhere but in text (undefined), the caller sends the primary one.
 *
 * @example
 * bilingualCard({ 'zh-CN': helpCard(zhT, lines), 'en-US': helpCard(enT, lines) }, 'zh-CN')
 */
export function bilingualCard(builds: Record<Locale, Card>, primary: Locale): Card | undefined {
  const locales = Object.keys(builds) as Locale[];
  let mismatch = false;

  const merge = (nodes: readonly unknown[]): unknown => {
    const [first] = nodes;
    if (Array.isArray(first)) {
      if (!nodes.every((n) => Array.isArray(n) && n.length === first.length)) return fail();
      return first.map((_, i) => merge(nodes.map((n) => (n as unknown[])[i])));
    }
    if (!first || typeof first !== 'object') return nodes.every((n) => n === first) ? first : fail();
    if (!nodes.every((n) => n && typeof n === 'object' && !Array.isArray(n))) return fail();
    const objects = nodes as ReadonlyArray<Record<string, unknown>>;
    const head = objects[0] as Record<string, unknown>;
    const keys = Object.keys(head);
    if (!objects.every((o) => Object.keys(o).length === keys.length && keys.every((k) => k in o))) return fail();
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      out[key] = key === 'content' && isText(head) ? textOf(objects) : merge(objects.map((o) => o[key]));
    }
    if (isText(head)) {
      const texts = objects.map((o) => o.content);
      if (texts.every((c) => typeof c === 'string') && new Set(texts).size > 1) {
        out.i18n_content = Object.fromEntries(locales.map((l, i) => [CARD_LOCALE[l], texts[i]]));
      }
    }
    return out;
  };
  const fail = (): undefined => {
    mismatch = true;
    return undefined;
  };
  const textOf = (objects: ReadonlyArray<Record<string, unknown>>): unknown => {
    const primaryIndex = Math.max(0, locales.indexOf(primary));
    return objects[primaryIndex]?.content;
  };

  const all = locales.map((l) => builds[l]);
  const header = merge(all.map((c) => c.header));
  const elements = merge(all.map((c) => c.body.elements));
  const summaries = all.map((c) => c.config?.summary?.content);
  const config = { ...builds[primary].config, locales: locales.map((l) => CARD_LOCALE[l]) };
  if (typeof summaries[0] === 'string' && summaries.every((s) => typeof s === 'string')) {
    const text = summaries[Math.max(0, locales.indexOf(primary))] as string;
    config.summary = { content: text, i18n_content: Object.fromEntries(locales.map((l, i) => [CARD_LOCALE[l], summaries[i] as string])) };
  }
  if (mismatch) return undefined;
  return {
    schema: '2.0',
    config,
    ...(header ? { header: header as Card['header'] } : {}),
    body: { elements: elements as Card['body']['elements'] },
  };
}

/** A `plain_text`/`markdown` node (header titles are `plain_text` objects too). */
function isText(node: Record<string, unknown>): boolean {
  return typeof node.tag === 'string' && TEXT_TAGS.has(node.tag);
}
