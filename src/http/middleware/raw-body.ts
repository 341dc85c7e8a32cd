import type { Context, MiddlewareHandler } from 'hono';

export interface RawBodyOptions {
  /** Largest accepted body in bytes; anything larger is answered 413 without being buffered. */
  maxBytes: number;
  /** Builds the refusal (defaults to a JSON 413 / 400). */
  onReject?: (c: Context, status: 400 | 413, reason: string, message: string) => Response | Promise<Response>;
}

export type RawBodyVariables = { rawBody: Uint8Array };

class TooLarge extends Error {}

async function readCapped(stream: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
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
 * computed over the exact bytes Feishu sent. Bodies over `maxBytes` get 413: a declared
 * `Content-Length` is refused before reading, a chunked body as soon as it crosses the cap.
 *
 * @example
 * app.post('/webhook/event', rawBody({ maxBytes: 1024 * 1024 }), (c) => c.text(String(c.var.rawBody.length)))
 */
export const rawBody = (opts: RawBodyOptions): MiddlewareHandler<{ Variables: RawBodyVariables }> => {
  const refuse =
    opts.onReject ?? ((c: Context, status: 400 | 413, _reason: string, message: string) => c.json({ error: message }, status));
  const tooLarge = `request body is larger than ${opts.maxBytes} bytes`;
  return async function rawBody(c, next) {
    const declared = c.req.header('content-length');
    const length = declared === undefined ? undefined : Number(declared);
    if (length !== undefined && !(Number.isSafeInteger(length) && length >= 0)) {
      return refuse(c, 400, 'bad_length', 'Content-Length is not a valid number');
    }
    if (length !== undefined && length > opts.maxBytes) return refuse(c, 413, 'too_large', tooLarge);
    let bytes: Uint8Array;
    try {
      if (length !== undefined && !c.req.header('transfer-encoding')) {
        // The declared length is enforced by Node's HTTP parser, so the whole-body read is bounded
        // (and it skips building a Web stream, which matters on the hot path).
        bytes = new Uint8Array(await c.req.raw.arrayBuffer());
      } else {
        const stream = c.req.raw.body;
        bytes = stream ? await readCapped(stream, opts.maxBytes) : new Uint8Array(0);
      }
    } catch (err) {
      if (err instanceof TooLarge) return refuse(c, 413, 'too_large', tooLarge);
      return refuse(c, 400, 'unreadable_body', 'request body could not be read');
    }
    if (bytes.byteLength > opts.maxBytes) return refuse(c, 413, 'too_large', tooLarge);
    c.set('rawBody', bytes);
    await next();
  };
};
