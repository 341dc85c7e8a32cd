import type { Context, MiddlewareHandler } from 'hono';

export interface RawBodyOptions {
  /** Largest accepted body in bytes; anything larger is answered 413 without being kept. */
  maxBytes: number;
  /**
   * How much of an oversized body is read and thrown away before the 413 goes out, so that a
   * client which writes its whole body before reading still sees the answer instead of a reset
   * socket. Larger bodies get the 413 at once and the connection is closed. Default 8 × maxBytes.
   */
  discardUpToBytes?: number;
  /** Builds the refusal (defaults to a JSON 413 / 400). */
  onReject?: (c: Context, status: 400 | 413, reason: string, message: string) => Response | Promise<Response>;
}

export type RawBodyVariables = { rawBody: Uint8Array };

class TooLarge extends Error {}

/** Reads and drops the rest of `reader`, up to `limit` bytes in all; true when it reached the end. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>, alreadyRead: number, limit: number): Promise<boolean> {
  let size = alreadyRead;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return true;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return false;
    }
  }
}

async function readCapped(stream: ReadableStream<Uint8Array>, maxBytes: number, discardUpTo: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await discardRest(reader, size, discardUpTo);
      throw new TooLarge();
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Reads the request body once, as bytes, into `c.var.rawBody`, because signatures are
 * computed over the exact bytes Feishu sent. Bodies over `maxBytes` get 413 with
 * `Connection: close`, after the body has been read and dropped (up to `discardUpToBytes`).
 *
 * @example
 * app.post('/webhook/event', rawBody({ maxBytes: 1024 * 1024 }), (c) => c.text(String(c.var.rawBody.length)))
 */
export const rawBody = (opts: RawBodyOptions): MiddlewareHandler<{ Variables: RawBodyVariables }> => {
  const refuse =
    opts.onReject ?? ((c: Context, status: 400 | 413, _reason: string, message: string) => c.json({ error: message }, status));
  const discardUpTo = opts.discardUpToBytes ?? 8 * opts.maxBytes;
  const tooLarge = `request body is larger than ${opts.maxBytes} bytes`;
  const refuseTooLarge = (c: Context) => {
    c.header('Connection', 'close');
    return refuse(c, 413, 'too_large', tooLarge);
  };
  return async function rawBody(c, next) {
    const declared = c.req.header('content-length');
    const length = declared === undefined ? undefined : Number(declared);
    if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) {
      return refuse(c, 400, 'bad_length', 'Content-Length is not a valid number');
    }
    if (length !== undefined && length > opts.maxBytes) {
      const stream = c.req.raw.body;
      if (stream && length <= discardUpTo) await discardRest(stream.getReader(), 0, discardUpTo).catch(() => false);
      return refuseTooLarge(c);
    }
    let bytes: Uint8Array;
    try {
      if (length !== undefined && !c.req.header('transfer-encoding')) {
        // The declared length is enforced by Node's HTTP parser, so the whole-body read is bounded
        // (and it skips building a Web stream, which matters on the hot path).
        bytes = new Uint8Array(await c.req.raw.arrayBuffer());
      } else {
        const stream = c.req.raw.body;
        bytes = stream ? await readCapped(stream, opts.maxBytes, discardUpTo) : new Uint8Array(0);
      }
    } catch (err) {
      if (err instanceof TooLarge) return refuseTooLarge(c);
      return refuse(c, 400, 'unreadable_body', 'request body could not be read');
    }
    if (bytes.byteLength > opts.maxBytes) return refuseTooLarge(c);
    c.set('rawBody', bytes);
    await next();
  };
};
