/**
 * Chinese typos by sound (同音错字): an input method offers every character of a syllable, and
 * people pick the wrong one ("年价" for 年假, "工资跳" for 工资条). For each character of the
 * router's key words, the table lists the characters that share one of its readings (tones
 * ignored; z/zh, c/ch, s/sh, en/eng and in/ing merged, the usual "fuzzy pinyin" of input methods).
 *
 * The table is built from pinyin-pro's readings of the GB 2312 characters by `npm run build:homophones` and shipped as
 * JSON, so routing needs no pinyin work at run time: a lookup in a small set per key character.
 */
import table from './data/homophones.json' with { type: 'json' };

/** Characters so common that a "homophone" of a key word is almost always the word itself. */
const NEVER_A_SLIP = new Set('是的了在有我你他她它这那个一不也就都还要会能说对和与及或把被给让吗呢吧啊');

const BY_CHAR = new Map<string, ReadonlySet<string>>();
for (const [ch, sounds] of Object.entries((table as HomophoneTable).chars)) {
  BY_CHAR.set(ch, new Set([...sounds].filter((c) => !NEVER_A_SLIP.has(c))));
}

export interface HomophoneTable {
  /** Where the readings came from, for whoever rebuilds the table. */
  source: string;
  /** Key character → every character sharing one of its (fuzzy, toneless) readings. */
  chars: Record<string, string>;
}

/**
 * True when `typed` sounds like `meant`, a character of a key word.
 *
 * @example soundsLike('价', '假') // → true
 * @example soundsLike('是', '事') // → false (too common to be a slip)
 */
export function soundsLike(typed: string, meant: string): boolean {
  return typed !== meant && (BY_CHAR.get(meant)?.has(typed) ?? false);
}

/** Every character that sounds like `meant` (empty for characters outside the table). */
export function homophonesOf(meant: string): ReadonlySet<string> {
  return BY_CHAR.get(meant) ?? new Set();
}

/** The key characters the table covers (for the test that keeps it in step with the lexicon). */
export function coveredChars(): string[] {
  return Object.keys((table as HomophoneTable).chars);
}
