import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'src/cli.ts');

function cli(args: string[], input = '') {
  const run = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Each case spawns tsx, which takes seconds on a busy machine.
describe('npm run cli', { timeout: 60_000 }, () => {
  it('lists every command with --help and exits 0', () => {
    const { code, stdout } = cli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}intent --now/m);
    expect(stdout).toMatch(/^ {2}doctor\b/m);
    expect(stdout).toMatch(/^ {2}audit \[--since YYYY-MM-DD\] \[--json\]$/m);
  });

  it.each(['intent', 'doctor', 'audit'])('%s --help describes its options and runs nothing', (name) => {
    const { code, stdout, stderr } = cli([name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`usage: npm run cli -- ${name}`);
    expect(stdout).toContain('--help');
    expect(stderr).toBe('');
  });

  it('refuses an unknown option with the usage and exit 2, without a stack trace', () => {
    const { code, stderr } = cli(['intent', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("Unknown option '--bogus'");
    expect(stderr).toContain('usage: npm run cli -- intent');
    expect(stderr).not.toContain('    at ');
  });

  it('refuses a missing option value and a bad time zone with exit 2', () => {
    expect(cli(['intent', '--now']).code).toBe(2);
    const tz = cli(['intent', '--now', '2025-03-15', '--tz', 'Mars/Olympus']);
    expect(tz.code).toBe(2);
    expect(tz.stderr).toContain('unknown time zone Mars/Olympus');
  });

  it('refuses an unknown command with exit 2', () => {
    const { code, stderr } = cli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command: frobnicate');
  });

  it('routes stdin with parsed options', () => {
    const { code, stdout } = cli(['intent', '--now', '2025-03-15'], 'payslip Jan\n');
    expect(code).toBe(0);
    expect(JSON.parse(stdout.trim())).toEqual({ intent: 'payslip', slots: { month: '2025-01' } });
  });
});
