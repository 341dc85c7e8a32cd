/**
 * Text normalisation shared by the router and its slot extractors. Everything
 * downstream matches against this form only, so lexicons stay small.
 */

// Traditional characters users type on zh-TW/zh-HK keyboards for words the
// lexicons know; folding them beats listing every term twice.
const PAIRS = '餘余 馀余 額额 資资 條条 單单 獎奖 設设 語语 關关 閉闭 開开 啟启 訂订 閱阅 幾几 還还 麼么 甚什 選选 幫帮 請请 記记 錄录 發发 紀纪 數数 節节 氣气 會会 議议 審审 個个 稅税 積积 報报 銷销 務务 調调 員员 產产 護护 喪丧 實实 週周 約约 換换 結结 終终 這这 說说 點点 錢钱 時时 間间 離离 職职 號号 嗎吗 歲岁 種种 覽览 顯显 詢询 給给 讓让 們们';
export const FOLD = new Map<string, string>();
for (const pair of PAIRS.split(' ')) {
  const [from, to] = [...pair];
  if (from !== undefined && to !== undefined && from !== to) FOLD.set(from, to);
}
// The traditional characters of PAIRS as a literal class (a test keeps the two in step).
export const FOLDABLE = /[餘馀額資條單獎設語關閉開啟訂閱幾還麼甚選幫請記錄發紀數節氣會議審個稅積報銷務調員產護喪實週約換結終這說點錢時間離職號嗎歲種覽顯詢給讓們]/g;

/** Simplified form of each traditional character the lexicons know; other characters unchanged. */
function foldTraditional(text: string): string {
  return text.replace(FOLDABLE, (ch) => FOLD.get(ch) ?? ch);
}

// Feishu replaces each mention with @_user_N; @_all is the "everyone" mention.
const MENTION = /@_(?:user_\d+|all)/g;
// Pictographs, flags, skin tones and the joiners/selectors that glue emoji sequences together.
const EMOJI = /[\p{Extended_Pictographic}\p{Emoji_Modifier}\p{Regional_Indicator}\u200d]/gu;
// Variation selector 16 and the keycap mark only ever dress up a preceding character.
const VARIATION_SELECTOR = '\ufe0f';
const KEYCAP = '\u20e3';
const CJK_GAP = /(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu;

/**
 * NFKC (full-width digits and punctuation fold), mentions and emoji removed,
 * whitespace collapsed; case is kept, which free-text slots (reason) need.
 *
 * @example cleanText('@_user_1  １月 工资条 🙏') // → '1月 工资条'
 */
export function cleanText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(MENTION, ' ')
    .replace(EMOJI, ' ')
    .replaceAll(VARIATION_SELECTOR, ' ')
    .replaceAll(KEYCAP, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * The matching form: {@link cleanText}, lower-cased, traditional characters of
 * known terms folded to simplified, and spaces between Chinese characters
 * dropped (people type "工 资 条").
 *
 * @example normalizeText('查詢 餘額！') // → '查询余额!'
 */
export function normalizeText(text: string): string {
  return foldText(cleanText(text));
}

/**
 * {@link normalizeText} for text already through {@link cleanText}.
 *
 * @example foldText('Payslip 一月') // → 'payslip 一月'
 */
export function foldText(cleaned: string): string {
  return foldTraditional(cleaned.toLowerCase())
    .replace(CJK_GAP, '');
}

/** A Latin word or number in the normalised text, with where it starts and ends. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

// Apostrophes are dropped inside words (what's → whats, don't → dont) so that
// contractions stay one token; hyphens split (sign-on → sign on).
const TOKEN = /[a-z]+(?:['’][a-z]+)*|\d+(?:\.\d+)?/g;

/**
 * Latin words and numbers of a normalised text, in order.
 *
 * @example tokenize("what's my pto?").map((t) => t.text) // → ['whats', 'my', 'pto']
 */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const m of normalized.matchAll(TOKEN)) {
    const start = m.index;
    tokens.push({ text: m[0].replace(/['’]/g, ''), start, end: start + m[0].length });
  }
  return tokens;
}
