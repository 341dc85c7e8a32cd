/**
 * Operator entry point: `npm run cli -- <command> [options]`. Each command lives in
 * src/cli/ as a `Command` (options parsed by `node:util` `parseArgs`, `--help` on every
 * one) and resolves with its exit code; add new ones to `COMMANDS`.
 */
import { auditCommand } from './cli/audit.js';
import { runCommand, type Command } from './cli/command.js';
import { doctorCommand } from './cli/doctor.js';
import { evalCommand } from './cli/eval.js';
import { intentCommand } from './cli/intent.js';
import { remindCommand } from './cli/remind.js';

export const COMMANDS: readonly Command[] = [intentCommand, evalCommand, remindCommand, doctorCommand, auditCommand] as readonly Command[];

function usage(): string {
  return [
    'usage: npm run cli -- <command> [options]',
    '',
    'commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.synopsis}`, `      ${c.summary}`]),
    '',
    'Run `npm run cli -- <command> --help` for a command\'s options.',
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    if (name !== undefined) process.stderr.write(`unknown command: ${name}\n`);
    process.stderr.write(`${usage()}\n`);
    return 2;
  }
  return runCommand(command, args);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // A bug, not a usage error: say what failed without a stack trace full of paths.
    process.stderr.write(`cli: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
