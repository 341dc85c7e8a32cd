/**
 * Turns a normalised message into the set of concepts it mentions, using the
 * bilingual lexicon, with typo correction for Latin words and a one-character
 * slip allowed on long Chinese terms.
 */
import { EN, ZH, type Concept } from './lexicon.js';
import { TypoCorrector } from './fuzzy.js';
import { tokenize, type Token } from './normalize.js';
import { homophonesOf, soundsLike } from './homophones.js';

interface Entry {
  term: string;
  words: string[];
  concepts: Concept[];
}

/** One lexicon hit: `[start, end)` in the canonical text. */
export interface Match {
  term: string;
  concepts: readonly Concept[];
  start: number;
  end: number;
  /** For a Chinese slip: where the mistyped character is. */
  typo?: number;
  /** For a Chinese slip: the mistyped character sounds like the right one. */
  bySound?: boolean;
}

export interface Features {
  /** The normalised text with Latin typos corrected; slot extractors read this. */
  text: string;
  tokens: Token[];
  concepts: Set<Concept>;
  matches: Match[];
  /** Words and Chinese characters no lexicon term or filler explains. */
  residue: number;
}

function compile(lexicon: Partial<Record<Concept, string>>): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const [concept, terms] of Object.entries(lexicon) as Array<[Concept, string]>) {
    for (const raw of terms.split('|')) {
      const [term = '', ...extra] = raw.split('+') as [string, ...Concept[]];
      const entry = entries.get(term) ?? { term, words: term.split(' '), concepts: [] };
      for (const c of [concept, ...extra]) if (!entry.concepts.includes(c)) entry.concepts.push(c);
      entries.set(term, entry);
    }
  }
  return entries;
}

function indexBy(entries: Iterable<Entry>, key: (e: Entry) => string, size: (e: Entry) => number): Map<string, Entry[]> {
  const index = new Map<string, Entry[]>();
  for (const e of entries) {
    const list = index.get(key(e)) ?? [];
    list.push(e);
    index.set(key(e), list);
  }
  // Longest first, so the first hit at a position is the one that counts.
  for (const list of index.values()) list.sort((a, b) => size(b) - size(a));
  return index;
}

const zhEntries = compile(ZH);
const enEntries = compile(EN);
const zhIndex = indexBy(zhEntries.values(), (e) => e.term[0] ?? '', (e) => e.term.length);
const enIndex = indexBy(enEntries.values(), (e) => e.words[0] ?? '', (e) => e.words.length);

const DOMAIN: readonly Concept[] = ['leave', 'payslip', 'payWeak', 'lumpSum', 'accrual', 'remind', 'langEn', 'langZh', 'help', 'greet'];
// Chinese key words read through one slip: on long terms any character, on short ones (2-3
// characters, where one wrong character is usually another word) only a character that sounds
// the same ("年价" → 年假, "工资跳" → 工资条; see homophones.ts).
const FUZZY: readonly Concept[] = [...DOMAIN, 'balance'];
const HAN_TERM = /^\p{Script=Han}+$/u;
const fuzzyEntries = [...zhEntries.values()].filter(
  (e) => e.term.length >= 2 && HAN_TERM.test(e.term) && e.concepts.some((c) => FUZZY.includes(c)),
);
const LONG_TERM = 4;
// Long terms: a slip leaves the first or the second character intact, so index by both.
const longEntries = fuzzyEntries.filter((e) => e.term.length >= LONG_TERM);
const byFirst = indexBy(longEntries, (e) => e.term.charAt(0), (e) => e.term.length);
const bySecond = indexBy(longEntries, (e) => e.term.charAt(1), (e) => e.term.length);
// Short terms: every spelling with one character swapped for a homophone, looked up whole.
const soundAlikes = new Map<string, Array<{ entry: Entry; offset: number }>>();
for (const e of fuzzyEntries) {
  if (e.term.length >= LONG_TERM) continue;
  for (let k = 0; k < e.term.length; k++) {
    for (const h of homophonesOf(e.term.charAt(k))) {
      const key = e.term.slice(0, k) + h + e.term.slice(k + 1);
      const list = soundAlikes.get(key) ?? [];
      list.push({ entry: e, offset: k });
      soundAlikes.set(key, list);
    }
  }
}
const soundAlikeLengths = [...new Set([...soundAlikes.keys()].map((k) => k.length))];
// A one-character slip leaves the first or the second character of a term intact: a window
// whose first two characters start no term that way holds no slip (most windows, cheaply).
const firstChars = new Set(fuzzyEntries.map((e) => e.term.charAt(0)));
const secondChars = new Set(fuzzyEntries.map((e) => e.term.charAt(1)));

/** Characters of the short fuzzy key words: the homophone table must cover each. */
export function fuzzyKeyChars(): string[] {
  return [...new Set(fuzzyEntries.filter((e) => e.term.length < LONG_TERM).flatMap((e) => [...e.term]))].sort();
}

const MONTH_WORDS = 'january february march april may june july august september october november december sept';
const SLOT_WORDS = 'expire expires expiring expired expiration expiry reason record quantity until through end year years month months days weeks';
// Everyday words one typo away from a lexicon word; they must stay themselves.
const COMMON =
  'there where these those their about would could should which thanks thank please today hours other after ' +
  'again still since every point using great grand least lease learn white wrote stars smart stick stack stuck ' +
  'sunny chance charge arise raised house shows seems never whose while maybe might rewind police cello ' +
  'bones hells leaving lives lover plans plant slips sleep enjoy things thing think right light';

const vocabulary = new Set<string>();
for (const e of enEntries.values()) for (const w of e.words) vocabulary.add(w);
for (const w of `${MONTH_WORDS} ${SLOT_WORDS}`.split(' ')) vocabulary.add(w);
const corrector = new TypoCorrector(vocabulary, new Set(COMMON.split(' ')));

const STOPWORDS = new Set(
  (
    'a an the to for of in on at me i you your please pls plz there can could would will is are am be do does did ' +
    'it this that and or with some any just now so ok okay thanks thank again too also all'
  ).split(' '),
);
const FILLER = new Set('的了吗呢吧啊呀哦嘛么我你请下个是有在帮给一么些哪那这都也就还');
const HAN = /\p{Script=Han}/u;

/**
 * Lower-cased text with each Latin word replaced by the vocabulary word it is a
 * typo of, plus its tokens.
 *
 * @example canonicalize('paysilp pls').text // → 'payslip pls'
 */
export function canonicalize(normalized: string): { text: string; tokens: Token[] } {
  let text = '';
  let last = 0;
  const tokens: Token[] = [];
  for (const t of tokenize(normalized)) {
    text += normalized.slice(last, t.start);
    const word = /^[a-z]/.test(t.text) ? (corrector.correct(t.text) ?? t.text) : t.text;
    tokens.push({ text: word, start: text.length, end: text.length + word.length });
    text += word;
    last = t.end;
  }
  return { text: text + normalized.slice(last), tokens };
}

function findZh(text: string, out: Match[]): void {
  for (let i = 0; i < text.length; i++) {
    for (const e of zhIndex.get(text[i] ?? '') ?? []) {
      if (text.startsWith(e.term, i)) {
        out.push({ term: e.term, concepts: e.concepts, start: i, end: i + e.term.length });
        break;
      }
    }
  }
}

/**
 * Where `text` at `at` is the long `term` with exactly one character mistyped (any Han
 * character): the offset of that character, or -1.
 */
function slipAt(text: string, at: number, term: string): number {
  if (at + term.length > text.length) return -1;
  let wrong = -1;
  for (let k = 0; k < term.length; k++) {
    if (text[at + k] === term[k]) continue;
    if (wrong >= 0) return -1;
    wrong = k;
  }
  return wrong >= 0 && HAN.test(text.charAt(at + wrong)) ? at + wrong : -1;
}

/** Positions inside an exact word of two or more characters: no typo can sit there. */
function explainedBy(exact: readonly Match[], length: number): Uint8Array {
  const explained = new Uint8Array(length + 1);
  for (const h of exact) if (h.end - h.start >= 2) explained.fill(1, h.start, h.end);
  return explained;
}

function findZhSlips(text: string, explained: Uint8Array, out: Match[]): void {
  const tryLong = (i: number, e: Entry): void => {
    const typo = slipAt(text, i, e.term);
    if (typo < 0) return;
    const bySound = soundsLike(text.charAt(typo), e.term.charAt(typo - i));
    out.push({ term: e.term, concepts: e.concepts, start: i, end: i + e.term.length, typo, bySound });
  };
  for (let i = 0; i + 1 < text.length; i++) {
    if (!firstChars.has(text.charAt(i)) && !secondChars.has(text.charAt(i + 1))) continue;
    // A short term's typo lies in its first three characters, which must not all be explained.
    const shortTypoPossible = !(explained[i] && explained[i + 1] && explained[i + 2]);
    for (const len of soundAlikeLengths) {
      if (!shortTypoPossible || i + len > text.length) continue;
      for (const { entry, offset } of soundAlikes.get(text.slice(i, i + len)) ?? []) {
        out.push({ term: entry.term, concepts: entry.concepts, start: i, end: i + len, typo: i + offset, bySound: true });
      }
    }
    for (const e of byFirst.get(text.charAt(i)) ?? []) tryLong(i, e);
    // Already tried above when the first character is intact too.
    for (const e of bySecond.get(text.charAt(i + 1)) ?? []) if (text[i] !== e.term[0]) tryLong(i, e);
  }
}

/**
 * The slips no exact reading contradicts: the mistyped character is one no exact word
 * explains ("年假余额" is not a slip of 请假余额), and an exact hit may lie inside a slip
 * ("工资" in "工资跳") but not straddle it ("假的" against "是假").
 */
function credibleSlips(slips: Match[], exact: Match[], explained: Uint8Array, length: number): Match[] {
  if (slips.length === 0) return slips;
  // Look-alike shadows ("假的", "请问") a slip may not straddle.
  const shadowFrom = new Int32Array(length).fill(length);
  const shadowTo = new Int32Array(length).fill(-1);
  for (const h of exact) {
    if (!h.concepts.includes('ignore')) continue;
    for (let p = h.start; p < h.end; p++) {
      shadowFrom[p] = Math.min(shadowFrom[p] ?? length, h.start);
      shadowTo[p] = Math.max(shadowTo[p] ?? -1, h.end);
    }
  }
  const straddles = (s: Match): boolean => {
    for (let p = s.start; p < s.end; p++) {
      if ((shadowTo[p] ?? -1) >= 0 && ((shadowFrom[p] ?? 0) < s.start || (shadowTo[p] ?? 0) > s.end)) return true;
    }
    return false;
  };
  const credible = slips.filter((s) => s.typo !== undefined && !explained[s.typo] && !straddles(s));
  // A slip by sound beats a slip by any character where both claim the same typo ("桑假余额": 丧假, not 请假余额).
  const soundTypos = new Set(credible.filter((s) => s.bySound).map((s) => s.typo));
  return credible.filter((s) => s.bySound || !soundTypos.has(s.typo));
}

/** The text with each slip written as the key word it stands for (same length, so offsets hold). */
function withSlipsCorrected(text: string, slips: readonly Match[]): string {
  let out = '';
  let last = 0;
  for (const s of [...slips].sort((a, b) => a.start - b.start)) {
    if (s.start < last) continue;
    out += text.slice(last, s.start) + s.term;
    last = s.end;
  }
  return out + text.slice(last);
}

function findEn(tokens: Token[], out: Match[]): void {
  for (let i = 0; i < tokens.length; i++) {
    for (const e of enIndex.get(tokens[i]?.text ?? '') ?? []) {
      if (e.words.every((w, k) => tokens[i + k]?.text === w)) {
        const last = tokens[i + e.words.length - 1];
        out.push({ term: e.term, concepts: e.concepts, start: tokens[i]?.start ?? 0, end: last?.end ?? 0 });
        break;
      }
    }
  }
}

/**
 * Drops hits lying inside a longer hit: the longest reading wins. One sweep in
 * start order (longest first at equal starts), so hostile texts with thousands of
 * hits stay linear after the sort.
 */
function longest(matches: Match[]): Match[] {
  const byStart = [...matches].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: Match[] = [];
  // The hit reaching furthest so far; any later hit ending within it lies inside it.
  let reach: Match | undefined;
  for (const m of byStart) {
    const inside = reach !== undefined && m.end <= reach.end && !(reach.start === m.start && reach.end === m.end);
    if (!inside) kept.push(m);
    if (!reach || m.end > reach.end) reach = m;
  }
  return kept;
}

function residueOf(text: string, tokens: Token[], matches: Match[]): number {
  const covered = new Uint8Array(text.length + 1);
  for (const m of matches) covered.fill(1, m.start, m.end);
  let residue = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (!covered[i] && HAN.test(ch) && !FILLER.has(ch)) residue++;
  }
  for (const t of tokens) if (!covered[t.start] && !STOPWORDS.has(t.text) && /^[a-z]/.test(t.text)) residue++;
  return residue;
}

/**
 * The concepts a normalised message mentions.
 *
 * @example detectConcepts('查一下我的 pto 余额').concepts.has('leave') // → true
 */
export function detectConcepts(normalized: string): Features {
  const canonical = canonicalize(normalized);
  const tokens = canonical.tokens;
  const exact: Match[] = [];
  findZh(canonical.text, exact);
  findEn(tokens, exact);
  // Single-character hits ("讲", "休") explain nothing on their own; words of two or more do.
  const explained = explainedBy(exact, canonical.text.length);
  const slipped: Match[] = [];
  findZhSlips(canonical.text, explained, slipped);
  const slips = credibleSlips(slipped, exact, explained, canonical.text.length);
  const text = withSlipsCorrected(canonical.text, slips);
  const matches = longest([...exact, ...slips]);
  const concepts = new Set<Concept>();
  for (const m of matches) for (const c of m.concepts) if (c !== 'ignore') concepts.add(c);
  return { text, tokens, concepts, matches, residue: residueOf(text, tokens, matches) };
}
