/**
 * A redis-server of the test's own, on a free port. Pausing or stopping the shared test Redis
 * would stall every other test (and every other process) using it; this one belongs to the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export interface OwnRedis {
  url: string;
  /** Kills the server (SIGKILL: no goodbye to its clients). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  /** A plain client for admin commands (`CLIENT PAUSE`); closed by `stop()`. */
  admin(): Redis;
  stop(): Promise<void>;
}

/**
 * Spawns `redis-server` (no persistence) on a free 127.0.0.1 port and waits until it answers.
 *
 * @example
 * const redis = await startOwnRedis()
 * await redis.admin().call('CLIENT', 'PAUSE', '3000', 'ALL')
 */
export async function startOwnRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let adminClient: Redis | undefined;

  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    for (let i = 0; i < 100; i++) {
      if (await answers(url)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`redis-server did not answer on ${url}`);
  };
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    url,
    kill,
    restart: start,
    admin: () => {
      if (!adminClient) {
        adminClient = new Redis(url);
        // It reconnects by itself while the server is killed; nothing to report.
        adminClient.on('error', () => undefined);
      }
      return adminClient;
    },
    async stop() {
      adminClient?.disconnect();
      await kill();
    },
  };
}
