/**
 * Writes `.env.example` from the configuration schema in src/config.ts, so the example can
 * never name a variable the bot does not read or miss one it does. A test compares the
 * committed file with this output.
 *
 * Usage: npm run env:example
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnvSchema } from '../src/config.js';

/** The value a variable takes when unset, as it would be written in the file; undefined when required or empty. */
function defaultOf(name: string): { required: boolean; value: string | undefined } {
  const field = EnvSchema.shape[name as keyof typeof EnvSchema.shape];
  const parsed = field.safeParse(undefined);
  if (!parsed.success) return { required: true, value: undefined };
  const value: unknown = parsed.data;
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return { required: false, value: undefined };
  return { required: false, value: Array.isArray(value) ? value.join(',') : String(value) };
}

/** The text of `.env.example`. */
export function renderEnvExample(): string {
  const lines = [
    '# Configuration of the HR bot, generated from src/config.ts by `npm run env:example`.',
    '# Copy to .env and fill in the three required values. Each variable is described in',
    "# README.md's Configuration table. Commented lines show the default.",
    '',
  ];
  const names = Object.keys(EnvSchema.shape);
  const prefixOf = (name: string) => name.split('_')[0] ?? name;
  // Variables sharing a prefix (FEISHU_, REMINDER_, …) form a block; lone ones share one.
  const groupOf = (name: string) => (names.filter((n) => prefixOf(n) === prefixOf(name)).length > 1 ? prefixOf(name) : '');
  let group: string | undefined;
  for (const name of names) {
    if (group !== undefined && groupOf(name) !== group) lines.push('');
    group = groupOf(name);
    const { required, value } = defaultOf(name);
    lines.push(required ? `${name}=` : `# ${name}=${value ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample());
  process.stdout.write('wrote .env.example\n');
}
