import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
// Inside the project so that the compiled files resolve node_modules as dist/ does.
const OUT = join(ROOT, '.scratch', `build-test-${process.pid}`);

afterAll(() => rmSync(OUT, { recursive: true, force: true }));

/** The Node flags of the Dockerfile's start command (`CMD ["node", ...flags, "dist/src/main.js"]`). */
function dockerNodeFlags(): string[] {
  const cmd = readFileSync(join(ROOT, 'Dockerfile'), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('CMD '))
    .pop();
  const argv = JSON.parse(cmd!.slice(4)) as string[];
  expect(argv[0]).toBe('node');
  expect(argv.at(-1)).toBe('dist/src/main.js');
  return argv.slice(1, -1);
}

/** Waits for the compiled server's `listening` log line and returns the bound port. */
function listeningPort(child: ReturnType<typeof spawn>): Promise<number> {
  return new Promise((done, fail) => {
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port) done(entry.port);
      }
    });
    child.once('exit', (code) => fail(new Error(`server exited early with ${code}`)));
  });
}

describe('the production build (what the Dockerfile runs)', () => {
  it('compiles to JavaScript that serves /healthz without tsx', async () => {
    const build = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json', '--outDir', OUT], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);

    // The container's own flags (a flag this Node refuses fails the start), which `npm run start:prod` shares.
    const flags = dockerNodeFlags();
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['start:prod']).toBe(['node', ...flags, 'dist/src/main.js'].join(' '));
    const child = spawn(process.execPath, [...flags, join(OUT, 'src/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        FEISHU_APP_ID: 'cli_build_test',
        FEISHU_APP_SECRET: 'secret',
        FEISHU_VERIFICATION_TOKEN: 'token',
        HOST: '127.0.0.1',
        PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const port = await listeningPort(child);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(res.status).toBe(200);
    } finally {
      // A server that exited early (a refused flag, a crash) has nothing left to wait for.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
    }
  }, 90_000);
});
