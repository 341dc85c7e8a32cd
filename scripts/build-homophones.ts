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
// CJK Unified Ideographs: every character a Chinese input method offers in everyday use.
const FIRST = 0x4e00;
const LAST = 0x9fff;

/** A reading with the usual fuzzy-pinyin pairs merged: zh→z, ch→c, sh→s, eng→en, ing→in. */
export function fuzzySyllable(syllable: string): string {
  return syllable.replace(/^([zcs])h/, '$1').replace(/([ei])ng$/, '$1n');
}

function readings(ch: string): string[] {
  const list = pinyin(ch, { toneType: 'none', type: 'array', multiple: true }) as string[];
  return list.filter((s) => /^[a-zü]+$/.test(s)).map(fuzzySyllable);
}

/** The table for these key characters, built from the whole CJK block. */
export function buildHomophones(keyChars: readonly string[]): HomophoneTable {
  const bySound = new Map<string, string[]>();
  for (let code = FIRST; code <= LAST; code++) {
    const ch = String.fromCharCode(code);
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
  return { source: 'pinyin-pro (toneless readings; z/zh c/ch s/sh en/eng in/ing merged)', chars };
}

export function homophoneJson(): string {
  return `${JSON.stringify(buildHomophones(fuzzyKeyChars()), null, 1)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUT, homophoneJson());
  console.log(`wrote ${OUT}`);
}
