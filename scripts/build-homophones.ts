/**
 * `npm run build:homophones`: rebuilds src/bot/router/data/homophones.json from
 * pinyin-pro's dictionary for every character of the router's fuzzy key words.
 * Run it after adding a Chinese key word; a test fails while the table is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { pinyin } from 'pinyin-pro';
import { fuzzyKeyChars } from '../src/bot/router/features.js';
import type { HomophoneTable } from '../src/bot/router/homophones.js';

const OUT = fileURLToPath(new URL('../src/bot/router/data/homophones.json', import.meta.url));

/**
 * The 6 763 characters of GB 2312 (rows 0xB0-0xF7): the everyday simplified characters an
 * input method offers first, so the ones a slip of the finger actually produces. Rare
 * characters would only grow the table.
 */
function everydayCharacters(): string[] {
  const gbk = new TextDecoder('gbk');
  const chars: string[] = [];
  for (let row = 0xb0; row <= 0xf7; row++) {
    for (let cell = 0xa1; cell <= 0xfe; cell++) {
      const ch = gbk.decode(Uint8Array.of(row, cell));
      if (/^\p{Script=Han}$/u.test(ch)) chars.push(ch);
    }
  }
  return chars;
}

/** A reading with the usual fuzzy-pinyin pairs merged: zh→z, ch→c, sh→s, eng→en, ing→in. */
export function fuzzySyllable(syllable: string): string {
  return syllable.replace(/^([zcs])h/, '$1').replace(/([ei])ng$/, '$1n');
}

function readings(ch: string): string[] {
  const list = pinyin(ch, { toneType: 'none', type: 'array', multiple: true }) as string[];
  return list.filter((s) => /^[a-zü]+$/.test(s)).map(fuzzySyllable);
}

/** The table for these key characters, built from the everyday characters. */
export function buildHomophones(keyChars: readonly string[]): HomophoneTable {
  const bySound = new Map<string, string[]>();
  for (const ch of everydayCharacters()) {
    for (const sound of new Set(readings(ch))) {
      const list = bySound.get(sound) ?? [];
      list.push(ch);
      bySound.set(sound, list);
    }
  }
  const chars: Record<string, string> = {};
  for (const key of [...new Set(keyChars)].sort()) {
    const same = new Set<string>();
    for (const sound of readings(key)) for (const ch of bySound.get(sound) ?? []) if (ch !== key) same.add(ch);
    chars[key] = [...same].sort().join('');
  }
  return { source: 'pinyin-pro readings of the GB 2312 characters (toneless; z/zh c/ch s/sh en/eng in/ing merged)', chars };
}

export function homophoneJson(): string {
  return `${JSON.stringify(buildHomophones(fuzzyKeyChars()), null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUT, homophoneJson());
  console.log(`wrote ${OUT}`);
}
