/**
 * Operator entry point: `npm run cli -- <command> [options]`. Each command lives
 * in src/cli/ and resolves with its exit code; add new ones to `commands`.
 */
import { runDoctor } from './cli/doctor.js';
import { runIntent } from './cli/intent.js';

/** A subcommand: one line of usage and the function that runs it. */
export interface Command {
  usage: string;
  run(args: readonly string[]): Promise<number>;
}

export const commands: Readonly<Record<string, Command>> = {
  intent: {
    usage: 'intent --now YYYY-MM-DD [--tz Area/City]   route stdin lines, one JSON line each',
    run: runIntent,
  },
  doctor: {
    usage: 'doctor                                     check configuration, Redis, Feishu and scopes',
    run: () => runDoctor(),
  },
};

function usage(): string {
  return ['usage: npm run cli -- <command> [options]', '', 'commands:', ...Object.values(commands).map((c) => `  ${c.usage}`)].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    if (name !== undefined) process.stderr.write(`unknown command: ${name}\n`);
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  return command.run(args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
