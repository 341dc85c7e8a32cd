import { execFileSync } from 'node:child_process';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WORKER_NICE_STEP } from '../../src/main.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('a worker process yields the CPU to web processes on the same host', () => {
  it('lowers its own priority by WORKER_NICE_STEP (a real child process; this one is left alone)', () => {
    const before = getPriority();
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "const m = await import('./src/main.ts'); const os = await import('node:os'); console.log(JSON.stringify({ told: m.yieldCpuToIntake(), now: os.getPriority() }))"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const { told, now } = JSON.parse(out.trim().split('\n').pop()!) as { told: number; now: number };
    expect(now).toBe(Math.min(19, before + WORKER_NICE_STEP));
    expect(told).toBe(now);
    expect(getPriority()).toBe(before);
  });
});
