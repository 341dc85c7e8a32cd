import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function cli(args: string[], input = ''): { status: number | null; stdout: string; stderr: string } {
  // node with tsx's loader directly: `npx` alone costs seconds on a busy machine.
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Each case starts real child processes (TypeScript compiled on the fly); on a busy shared
// machine that alone can take most of the default 20 s, so the cases get a minute.
describe('cli intent', { timeout: 60_000 }, () => {
  it('writes exactly one JSON line per input line, empty lines included', () => {
    const input = ['1月工资条', '', 'Switch to English', '我想请明天一天年假', 'How much was my bonus last year?'].join('\n') + '\n';
    const run = cli(['intent', '--now', '2025-03-15'], input);
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      '{"intent":"payslip","slots":{"month":"2025-01"}}',
      '{"intent":"unknown","slots":{}}',
      '{"intent":"language.set","slots":{"locale":"en-US"}}',
      '{"intent":"unknown","slots":{}}',
      '{"intent":"lump_sum","slots":{"year":2024}}',
    ]);
  });

  it('takes --now as a date in --tz', () => {
    const run = cli(['intent', '--now', '2025-01-01', '--tz', 'America/New_York'], 'last month payslip\n');
    expect(run.stdout.trim()).toBe('{"intent":"payslip","slots":{"month":"2024-12"}}');
  });

  it('rejects a bad --now or an unknown command with usage on stderr and exit 2', () => {
    const badDate = cli(['intent', '--now', '2025-02-30'], 'hi\n');
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toMatch(/usage/);
    const unknown = cli(['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command: frobnicate/);
    expect(unknown.stderr).toMatch(/intent --now/);
  });
});

describe('cli eval', { timeout: 60_000 }, () => {
  it('documents its options and refuses folds it cannot make', () => {
    const help = cli(['eval', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--folds N/);
    expect(help.stdout).toMatch(/--seed N/);
    const bad = cli(['eval', '--folds', '1']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--folds must be an integer >= 2/);
  });

  it('scores the shipped router on one labelled file with --file: languages, intents, unknowns, slots, confusion, misses', { timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'eval-file-'));
    try {
      const file = path.join(dir, 'tiny.jsonl');
      const rows = [
        { text: '我的年假还剩几天', intent: 'leave.balance', slots: { leaveType: 'annual' }, family: 't/a' },
        { text: 'Switch to English', intent: 'language.set', slots: { locale: 'en-US' }, family: 't/b' },
        // Labelled wrongly on purpose: the router is right, so this line is a miss.
        { text: '1月工资条', intent: 'payslip', slots: { month: '2024-01' }, family: 't/c' },
        { text: '今天天气怎么样', intent: 'unknown', slots: {}, family: 't/d' },
      ];
      writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
      const run = cli(['eval', '--file', file]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^shipped router on tiny\.jsonl: 4 rows, 4 families/);
      expect(run.stdout).toMatch(/all +n= +4 +intent 100\.0% +intent\+slots +75\.0%/);
      expect(run.stdout).toMatch(/unknown recall 100\.0%, false-unknown 0\.0%/);
      expect(run.stdout).toMatch(/zh +n= +3 +intent 100\.0% +intent\+slots +66\.7%/);
      expect(run.stdout).toMatch(/payslip +n= +1 +intent 100\.0% +intent\+slots +0\.0%/);
      expect(run.stdout).toMatch(/confusion/);
      expect(run.stdout).not.toMatch(/misses:/);
      const withMisses = cli(['eval', '--file', file, '--misses']);
      expect(withMisses.stdout).toMatch(/"1月工资条"\n +want payslip \{"month":"2024-01"\}\n +got +payslip \{"month":"2025-01"\}/);
      expect(withMisses.stdout).not.toMatch(/年假还剩/);
      const mixed = cli(['eval', '--file', file, '--folds', '3']);
      expect(mixed.status).toBe(2);
      expect(mixed.stderr).toMatch(/--file takes no --folds/);
      const missing = cli(['eval', '--file', path.join(dir, 'nope.jsonl')]);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toMatch(/ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
