import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../src/app.js';
import { buildTestApp, installFeishuMockForServer, listenLocally, recordingSink } from '../support/webhook-app.js';

const mock = installFeishuMockForServer();

const TWO_MB = 2 * 1024 * 1024;
const STEP = 64 * 1024;

interface RawExchange {
  /** Everything the server sent back, read only after the whole request was written. */
  response: string;
  /** A socket error while writing or reading (EPIPE, ECONNRESET), if any. */
  error?: string;
}

/**
 * A client that writes its whole request before it reads anything: headers, then the body in
 * 64 KiB pieces spread over about a second (a slow uplink), then it starts reading.
 */
function writeAllThenRead(port: number, head: string, bodyBytes: number, tail = ''): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.pause();
    let response = '';
    let error: string | undefined;
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code ?? err.message));
    socket.on('close', () => resolve({ response, error }));
    socket.on('data', (d: Buffer) => (response += d.toString('latin1')));
    socket.on('connect', () => {
      socket.write(head);
      const piece = Buffer.alloc(STEP, 0x61);
      let written = 0;
      const pump = () => {
        if (socket.destroyed) return;
        if (written >= bodyBytes) {
          socket.end(tail, () => socket.resume());
          return;
        }
        const n = Math.min(STEP, bodyBytes - written);
        written += n;
        socket.write(n === STEP ? piece : piece.subarray(0, n), () => setTimeout(pump, 30));
      };
      pump();
    });
  });
}

describe('oversized bodies', () => {
  let server: Awaited<ReturnType<typeof listenLocally>>;
  let port: number;
  const rec = recordingSink();

  beforeAll(async () => {
    const { app } = await buildTestApp({ mock, sink: rec.sink });
    server = await listenLocally(app.fetch);
    port = Number(new URL(server.url).port);
  });
  afterAll(() => server.close());

  it('2 MB with Content-Length, written in full before reading → 413 with Connection: close', async () => {
    const head = `POST /webhook/event HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: ${TWO_MB}\r\n\r\n`;
    const { response, error } = await writeAllThenRead(port, head, TWO_MB);
    expect(error).toBeUndefined();
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(response).toContain(`request body is larger than ${MAX_BODY_BYTES} bytes`);
  });

  it('2 MB chunked, written in full before reading → 413', async () => {
    const head = `POST /webhook/card HTTP/1.1\r\nHost: bot\r\nTransfer-Encoding: chunked\r\n\r\n${TWO_MB.toString(16)}\r\n`;
    const { response, error } = await writeAllThenRead(port, head, TWO_MB, '\r\n0\r\n\r\n');
    expect(error).toBeUndefined();
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
  });

  it('a declared length far beyond the discard cap gets its 413 at once, without the body being read', async () => {
    const { response } = await new Promise<RawExchange>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let response = '';
      socket.on('data', (d: Buffer) => (response += d.toString('latin1')));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ response }));
      socket.on('connect', () => socket.write(`POST /webhook/event HTTP/1.1\r\nHost: bot\r\nContent-Length: ${100 * TWO_MB}\r\n\r\n`));
    });
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response.toLowerCase()).toContain('connection: close');
  });

  it('no refused body reached the bot or caused an outbound call', () => {
    expect(rec.messages).toHaveLength(0);
    expect(mock.calls).toHaveLength(0);
  });
});
