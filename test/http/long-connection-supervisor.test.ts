import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sdkLogText } from '../../src/http/long-connection.js';
import { startServer, type RunningServer } from '../../src/main.js';
import { createMetrics } from '../../src/metrics.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { captureLogger } from '../support/self-service.js';
import { recordingSink } from '../support/webhook-app.js';
import { testConfig } from '../support/test-config.js';

/**
 * A stand-in for Feishu's long-connection front door: the endpoint call that hands out a
 * socket URL, and a WebSocket server (the RFC 6455 handshake by hand) whose sockets the
 * test can cut.
 */
async function fakeLongConnectionEndpoint() {
  const sockets = new Set<Socket>();
  let endpointCalls = 0;
  const server: Server = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/callback/ws/endpoint') {
      endpointCalls++;
      const { port } = server.address() as AddressInfo;
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          code: 0,
          msg: 'ok',
          data: {
            URL: `ws://127.0.0.1:${port}/ws?device_id=d1&service_id=1&ticket=secret-ticket`,
            ClientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 0 },
          },
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  server.on('upgrade', (req: IncomingMessage, socket: Socket) => {
    const accept = createHash('sha1')
      .update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
      .digest('base64');
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    endpointCalls: () => endpointCalls,
    openSockets: () => sockets.size,
    cutAll: () => sockets.forEach((s) => s.destroy()),
    close: () =>
      new Promise<void>((done) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => done());
      }),
  };
}

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startWebsocketBot(baseUrl: string, env: Record<string, string> = {}) {
  const log = captureLogger();
  const metrics = createMetrics();
  const config = testConfig({ FEISHU_BASE_URL: baseUrl, ...env });
  const running = await startServer(
    { ...config, feishu: { ...config.feishu, eventMode: 'websocket' }, http: { host: '127.0.0.1', port: 0 } },
    { store: createMemoryStore(), sink: recordingSink().sink, logger: log.logger, metrics },
  );
  const ready = async () => (await fetch(`${running.url}/readyz`)).status;
  return { running, log, metrics, ready };
}

/** The supervisor's error-level lines ('long connection failed' / 'could not start') with their cause. */
function errorLines(lines: readonly string[]): Array<{ msg: string; cause: string }> {
  return lines
    .map((l) => JSON.parse(l) as { level: number; msg: string; cause?: string })
    .filter((l) => l.level >= 50 && typeof l.cause === 'string')
    .map((l) => ({ msg: l.msg, cause: l.cause! }));
}

let running: RunningServer | undefined;
let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await running?.stop();
  running = undefined;
  for (const c of cleanups) await c();
  cleanups = [];
});

describe('long connection supervisor (FEISHU_EVENT_MODE=websocket)', () => {
  it('is not ready until connected, notices a dropped socket, and reconnects by itself', async () => {
    const feishu = await fakeLongConnectionEndpoint();
    cleanups.push(feishu.close);
    const bot = await startWebsocketBot(feishu.baseUrl);
    running = bot.running;

    await until('the first connection', async () => (await bot.ready()) === 200);
    expect(feishu.openSockets()).toBe(1);
    expect(bot.log.text()).toContain('long connection ready');

    feishu.cutAll();
    await until('readiness to drop', async () => (await bot.ready()) === 503);
    await until('the reconnect', async () => (await bot.ready()) === 200);

    expect(feishu.endpointCalls()).toBeGreaterThanOrEqual(2);
    const metricsText = await (await fetch(`${bot.running.url}/metrics`)).text();
    expect(metricsText).toMatch(/^hrbot_long_connection_reconnects_total [1-9]/m);
    expect(metricsText).toMatch(/^hrbot_long_connection_up 1$/m);
    expect(bot.log.text()).toContain('long connection lost');
    // The socket URL's ticket never reaches the log.
    expect(bot.log.text()).not.toContain('secret-ticket');
  }, 40_000);

  it('with Feishu unreachable: /readyz 503, the cause in the log, and visible retries', async () => {
    const bot = await startWebsocketBot(`http://127.0.0.1:${await closedPort()}`);
    running = bot.running;

    expect(await bot.ready()).toBe(503);
    expect((await fetch(`${bot.running.url}/healthz`)).status).toBe(200);
    await until('the cause in the log', () => bot.log.text().includes('ECONNREFUSED'));
    await until('a retry', () => bot.log.lines.some((l) => l.includes('"attempt":2')), 10_000);
    expect(await bot.ready()).toBe(503);
    expect(bot.log.text()).not.toContain('lark sdk message');
    expect(bot.log.text()).not.toContain(testConfig().feishu.appSecret);
    // The supervisor's own error line carries the cause (not only the SDK's chatter).
    const failures = errorLines(bot.log.lines);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]!.cause).toContain('ECONNREFUSED');
  }, 30_000);

  it('with an app id the SDK refuses: /readyz 503 and an error line naming FEISHU_APP_ID, no endpoint call', async () => {
    const feishu = await fakeLongConnectionEndpoint();
    cleanups.push(feishu.close);
    const bot = await startWebsocketBot(feishu.baseUrl, { FEISHU_APP_ID: 'cli_xxxxxxxxxxxxxxxx' });
    running = bot.running;

    expect(await bot.ready()).toBe(503);
    const [line, ...others] = errorLines(bot.log.lines);
    expect(others).toEqual([]);
    expect(line).toMatchObject({ msg: 'long connection could not start' });
    expect(line!.cause).toContain('FEISHU_APP_ID');
    expect(feishu.endpointCalls()).toBe(0);
  });

  it('with the endpoint refusing (a Feishu error code): /readyz 503 and the code and message in the error line', async () => {
    const endpoint = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ code: 1000040343, msg: 'app secret refused' }));
    });
    await new Promise<void>((done) => endpoint.listen(0, '127.0.0.1', done));
    cleanups.push(() => new Promise<void>((done) => endpoint.close(() => done())));
    const bot = await startWebsocketBot(`http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`);
    running = bot.running;

    expect(await bot.ready()).toBe(503);
    await until('an error line with the cause', () => errorLines(bot.log.lines).some((l) => l.cause.includes('1000040343')));
    const line = errorLines(bot.log.lines).find((l) => l.cause.includes('1000040343'))!;
    expect(line.cause).toContain('app secret refused');
    expect(await bot.ready()).toBe(503);
    expect(bot.log.text()).not.toContain(testConfig().feishu.appSecret);
  }, 30_000);
});

describe('sdkLogText', () => {
  it('keeps words and error messages, drops objects and connection tickets', () => {
    const text = sdkLogText([['[ws]', 'connect failed', new Error('connect ECONNREFUSED 127.0.0.1:9'), { body: { salary: 1 } }]]);
    expect(text).toBe('[ws] connect failed connect ECONNREFUSED 127.0.0.1:9');
    expect(sdkLogText([['[ws]', 'url wss://x.feishu.cn/ws?ticket=abc&device_id=1 open']])).toBe('[ws] url wss://x.feishu.cn/ws?… open');
    expect(sdkLogText([[{ only: 'object' }]])).toBe('lark sdk message without text');
  });
});
