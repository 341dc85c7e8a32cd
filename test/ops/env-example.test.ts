import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEnvExample } from '../../scripts/env-example.js';
import { EnvSchema, loadConfig } from '../../src/config.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('.env.example', () => {
  it('is exactly what the configuration schema generates (run `npm run env:example` after changing it)', () => {
    expect(readFileSync(resolve(ROOT, '.env.example'), 'utf8')).toBe(renderEnvExample());
  });

  it('names every variable the bot reads, once', () => {
    const named = renderEnvExample()
      .split('\n')
      .map((line) => /^(?:# )?([A-Z][A-Z0-9_]*)=/.exec(line)?.[1])
      .filter((name): name is string => name !== undefined);
    expect(named).toEqual(Object.keys(EnvSchema.shape));
  });

  it('filled in with its required values, it is a valid configuration', () => {
    const env: Record<string, string> = {};
    for (const line of renderEnvExample().split('\n')) {
      const m = /^([A-Z][A-Z0-9_]*)=$/.exec(line);
      if (m) env[m[1]!] = 'filled-in';
    }
    expect(Object.keys(env)).toEqual(['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN']);
    expect(() => loadConfig(env)).not.toThrow();
  });
});
