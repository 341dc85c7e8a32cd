#!/usr/bin/env node
// Makes sure a Redis answers for the test suite: uses TEST_REDIS_URL if given, else
// 127.0.0.1:6379; starts a redis-server if none answers, installing it with apt-get
// when it is missing (CI machines have only Node, npm and Debian packages).
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

function ping(url, timeoutMs = 1000) {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname || '127.0.0.1', port: Number(u.port || 6379) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (buf) => done(buf.toString().startsWith('+PONG')));
  });
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  return r.status === 0;
}

/** Resolves with the URL of a Redis that answers PING; throws with a plain reason otherwise. */
export async function ensureRedis() {
  const url = process.env.TEST_REDIS_URL || DEFAULT_URL;
  if (await ping(url)) return url;
  const port = new URL(url).port || '6379';
  if (!has('redis-server')) {
    console.error('[ensure-redis] redis-server is missing; installing it with apt-get');
    const sudo = process.getuid && process.getuid() !== 0 && has('sudo') ? ['sudo'] : [];
    const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
    process.env.DEBIAN_FRONTEND = 'noninteractive';
    if (!apt(['update']) || !apt(['install', '-y', '--no-install-recommends', 'redis-server'])) {
      throw new Error('could not install redis-server with apt-get');
    }
  }
  console.error(`[ensure-redis] starting redis-server on 127.0.0.1:${port}`);
  run('redis-server', [
    '--daemonize', 'yes', '--bind', '127.0.0.1', '--port', port,
    '--save', '', '--appendonly', 'no', '--dir', '/tmp',
  ]);
  for (let i = 0; i < 50; i++) {
    if (await ping(url)) return url;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server did not answer on ${url}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  ensureRedis()
    .then((url) => console.error(`[ensure-redis] Redis answers at ${url}`))
    .catch((err) => {
      console.error(`[ensure-redis] ${err.message}`);
      process.exit(1);
    });
}
