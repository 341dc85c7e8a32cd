import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { INTENT_NAMES, isIntentName, type IntentName } from '../../../src/domain/intents.js';
import {
  AccrualEditRoutedSlots,
  LanguageSetSlots,
  LeaveBalanceSlots,
  LumpSumSlots,
  NoSlots,
  PayslipSlots,
} from '../../../src/domain/slots.js';

// Every labelled line the project carries must be a label the router could emit: JSON that
// parses, a known intent, and slots that pass that intent's slot schema unchanged (no unknown
// slot names, no coercion: a year is a number, a month `YYYY-MM`, a date a real day). The
// paraphrase-family files (corpus/families-*.jsonl) also keep their own rules: 5–12 lines per
// family, one intent and one set of slots per family, a family lives in one file only, and a
// style from a fixed list. The fresh sets (corpus/fresh-*.jsonl) keep the same family rules.
// A bad label fails here instead of silently skewing the router's
// figures or a model trained on the corpus.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const CORPUS_DIR = path.join(HERE, 'corpus');

const SLOT_SCHEMAS: Record<IntentName, z.ZodObject> = {
  'leave.balance': LeaveBalanceSlots.strict(),
  payslip: PayslipSlots.strict(),
  lump_sum: LumpSumSlots.strict(),
  'accrual.edit': AccrualEditRoutedSlots.strict(),
  'reminder.subscribe': NoSlots.strict(),
  'reminder.unsubscribe': NoSlots.strict(),
  'language.set': LanguageSetSlots.strict(),
  help: NoSlots.strict(),
  unknown: NoSlots.strict(),
};

/** The intents each family file holds (one file per intent group, see corpus/README.md). */
const FILE_INTENTS: Record<string, readonly IntentName[]> = {
  'families-balance.jsonl': ['leave.balance'],
  'families-payslip.jsonl': ['payslip'],
  'families-lumpsum.jsonl': ['lump_sum'],
  'families-accrual.jsonl': ['accrual.edit'],
  'families-reminder.jsonl': ['reminder.subscribe', 'reminder.unsubscribe'],
  'families-language-help.jsonl': ['language.set', 'help'],
  'families-unknown.jsonl': ['unknown'],
};

/**
 * The fresh sets (corpus/fresh-*.jsonl): families of every intent, written apart from the
 * rest and never trained on (the trainer skips them); same rules as the family files.
 */
const FRESH_FILES = ['fresh-dev.jsonl', 'fresh-test.jsonl'];

/** Styles a family line may be tagged with (see corpus/README.md). */
const KINDS = new Set(['plain', 'polite', 'terse', 'casual', 'abbrev', 'slang', 'typo-sound', 'typo-key', 'long', 'mixed', 'mention']);

interface Line {
  file: string;
  at: number;
  raw: Record<string, unknown>;
}

const files = [
  path.join(HERE, 'held-out.jsonl'),
  ...readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(CORPUS_DIR, f)),
];
const familyFiles = files.filter((f) => path.basename(f).startsWith('families-'));
/** Files held to the family rules: the family files and the fresh sets. */
const ruledFiles = files.filter((f) => familyFiles.includes(f) || path.basename(f).startsWith('fresh-'));

function linesOf(file: string): Line[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((text, i) => ({ text, at: i + 1 }))
    .filter(({ text }) => text.trim())
    .map(({ text, at }) => {
      const where = `${path.basename(file)}:${at}`;
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new Error(`${where} is not JSON`);
      }
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${where} is not a JSON object`);
      return { file, at, raw: raw as Record<string, unknown> };
    });
}

const where = (l: Line): string => `${path.basename(l.file)}:${l.at}`;
const scoredSlots = (slots: unknown): string =>
  JSON.stringify(Object.entries(slots as Record<string, unknown>).filter(([k]) => k !== 'reason').sort(([a], [b]) => a.localeCompare(b)));
const sameText = (text: string): string => text.toLowerCase().replace(/\s+/g, ' ').trim();

describe('labelled corpus files', () => {
  const all = files.flatMap(linesOf);

  it('has a text, a known intent and slots that pass that intent’s schema unchanged on every line', () => {
    const bad: string[] = [];
    for (const line of all) {
      const { text, intent, slots } = line.raw;
      if (typeof text !== 'string' || !text.trim()) bad.push(`${where(line)}: no text`);
      if (!isIntentName(intent)) {
        bad.push(`${where(line)}: intent ${String(intent)} is not one of ${INTENT_NAMES.join(', ')}`);
        continue;
      }
      const parsed = SLOT_SCHEMAS[intent].safeParse(slots);
      if (!parsed.success) bad.push(`${where(line)}: slots ${JSON.stringify(slots)} fail ${intent}: ${parsed.error.message}`);
      else if (JSON.stringify(parsed.data) !== JSON.stringify(slots)) bad.push(`${where(line)}: slots ${JSON.stringify(slots)} change when parsed`);
    }
    expect(bad).toEqual([]);
  });

  it('never repeats a family line elsewhere, and labels a text repeated in the older files the same way', () => {
    const first = new Map<string, Line>();
    const dupes: string[] = [];
    const label = (l: Line): string => `${String(l.raw.intent)} ${scoredSlots(l.raw.slots)}`;
    for (const line of all) {
      const key = sameText(String(line.raw.text));
      const seen = first.get(key);
      if (!seen) first.set(key, line);
      else if (ruledFiles.includes(line.file) || ruledFiles.includes(seen.file) || label(line) !== label(seen)) {
        dupes.push(`${where(line)} repeats ${where(seen)}`);
      }
    }
    expect(dupes).toEqual([]);
  });

  it('keeps each paraphrase family to 5–12 lines of one intent and one set of slots, in one file, with a known style, in the file of its intent group', () => {
    const families = new Map<string, Line[]>();
    const problems: string[] = [];
    for (const line of all.filter((l) => l.file !== files[0])) {
      const family = line.raw.family;
      if (typeof family !== 'string' || !/^\w+\/[\w-]+$/.test(family)) {
        problems.push(`${where(line)}: family ${String(family)}`);
        continue;
      }
      families.set(family, [...(families.get(family) ?? []), line]);
    }
    for (const file of ruledFiles) {
      for (const line of linesOf(file)) {
        if (typeof line.raw.kind !== 'string' || !KINDS.has(line.raw.kind)) problems.push(`${where(line)}: kind ${String(line.raw.kind)}`);
        const intents = FRESH_FILES.includes(path.basename(file)) ? INTENT_NAMES : FILE_INTENTS[path.basename(file)];
        if (!intents) problems.push(`${path.basename(file)} is not a known family file`);
        else if (!intents.includes(line.raw.intent as IntentName)) problems.push(`${where(line)}: ${String(line.raw.intent)} does not belong in this file`);
      }
    }
    for (const [family, lines] of families) {
      const [head] = lines;
      if (!head || !lines.some((l) => ruledFiles.includes(l.file))) continue;
      if (lines.some((l) => l.file !== head.file)) problems.push(`${family} spans files`);
      if (lines.length < 5 || lines.length > 12) problems.push(`${family} has ${lines.length} lines`);
      const label = (l: Line): string => `${String(l.raw.intent)} ${scoredSlots(l.raw.slots)}`;
      for (const l of lines) if (label(l) !== label(head)) problems.push(`${where(l)}: ${label(l)} differs from its family's ${label(head)}`);
    }
    expect(problems).toEqual([]);
  });

  it('keeps the fresh sets apart: at least 200 lines and 35 families each, every intent in both languages, no family shared', () => {
    const familiesOf = new Map<string, Set<string>>();
    for (const name of FRESH_FILES) {
      const file = path.join(CORPUS_DIR, name);
      expect(files, name).toContain(file);
      const lines = linesOf(file);
      const families = new Set(lines.map((l) => String(l.raw.family)));
      familiesOf.set(name, families);
      expect(lines.length, name).toBeGreaterThanOrEqual(200);
      expect(families.size, name).toBeGreaterThanOrEqual(35);
      for (const intent of INTENT_NAMES) {
        const texts = lines.filter((l) => l.raw.intent === intent).map((l) => String(l.raw.text));
        expect(texts.some((t) => /\p{Script=Han}/u.test(t)), `${name}: ${intent} in Chinese`).toBe(true);
        expect(texts.some((t) => !/\p{Script=Han}/u.test(t)), `${name}: ${intent} in English`).toBe(true);
      }
    }
    const [dev, test] = FRESH_FILES.map((n) => familiesOf.get(n) ?? new Set<string>());
    expect([...(dev ?? [])].filter((f) => test?.has(f))).toEqual([]);
  });

  it('holds at least 1 500 labelled lines, 200 paraphrase families, and families of every intent in Chinese and English', () => {
    const familyLines = familyFiles.flatMap(linesOf);
    const families = new Set(familyLines.map((l) => String(l.raw.family)));
    expect(all.length).toBeGreaterThanOrEqual(1500);
    expect(familyLines.length).toBeGreaterThanOrEqual(1500);
    expect(families.size).toBeGreaterThanOrEqual(200);
    for (const intent of INTENT_NAMES) {
      const lines = familyLines.filter((l) => l.raw.intent === intent);
      const texts = lines.map((l) => String(l.raw.text));
      expect(new Set(lines.map((l) => l.raw.family)).size, intent).toBeGreaterThanOrEqual(5);
      expect(texts.some((t) => /\p{Script=Han}/u.test(t)), `${intent} in Chinese`).toBe(true);
      expect(texts.some((t) => !/\p{Script=Han}/u.test(t)), `${intent} in English`).toBe(true);
    }
  });
});
