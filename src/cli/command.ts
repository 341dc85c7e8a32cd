import { existsSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, loadConfig, type Config } from '../config.js';

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** One option of a command: its `parseArgs` shape plus the line `--help` prints for it. */
export type OptionSpec = ParseArgsOptionsConfig[string] & { help: string; valueName?: string };

/** Thrown by a command whose options parsed but make no sense; printed with the command's help, exit 2. */
export class UsageError extends Error {}

/** A subcommand of `npm run cli`: its options, one line of summary, and what it runs. */
export interface Command<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  name: string;
  /** The command line as the overview shows it, e.g. `intent --now YYYY-MM-DD [--tz Area/City]`. */
  synopsis: string;
  summary: string;
  options: O;
  run(values: OptionValues<O>): Promise<number>;
}

/** What `parseArgs` hands back for a set of options. */
export type OptionValues<O extends Record<string, OptionSpec>> = {
  [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string;
};

/** Keeps each command's option types when it is declared. */
export function defineCommand<O extends Record<string, OptionSpec>>(command: Command<O>): Command<O> {
  return command;
}

/** `--help` text for one command. */
export function commandHelp(command: Command): string {
  const lines = [`usage: npm run cli -- ${command.synopsis}`, '', command.summary];
  const entries = Object.entries(command.options);
  const labels = entries.map(([name, o]) => `--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`);
  const width = Math.max(...labels.map((l) => l.length), '--help'.length);
  lines.push('', 'options:');
  entries.forEach(([, o], i) => lines.push(`  ${labels[i]!.padEnd(width)}  ${o.help}`));
  lines.push(`  ${'--help'.padEnd(width)}  show this help`);
  return lines.join('\n');
}

/**
 * Parses `args` for `command` (strict: unknown options and stray words are errors) and runs it.
 * `--help` prints the command's help and exits 0; a usage error prints why and exits 2.
 *
 * @example await runCommand(intentCommand, ['--now', '2025-03-15'])
 */
export async function runCommand(command: Command, args: readonly string[]): Promise<number> {
  const options: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(command.options)) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}) };
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: [...args], options, strict: true, allowPositionals: false }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (err) {
    process.stderr.write(`${command.name}: ${(err as Error).message}\n\n${commandHelp(command)}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${commandHelp(command)}\n`);
    return 0;
  }
  delete values.help;
  try {
    return await command.run(values as OptionValues<Record<string, OptionSpec>>);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${command.name}: ${err.message}\n\n${commandHelp(command)}\n`);
    return 2;
  }
}

/**
 * `.env` (optional) and the environment → config, for commands. An invalid configuration is
 * printed to `out`, one `config: …` line per problem, and gives undefined.
 */
export function loadCommandConfig(out: NodeJS.WritableStream): Config | undefined {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const problem of err.problems) out.write(`config: ${problem}\n`);
    return undefined;
  }
}
