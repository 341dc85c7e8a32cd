/**
 * A local fake of the Feishu open platform, as a real HTTP server (for the reply-burst
 * bench and for tests that run the bot in child processes, where msw cannot reach).
 * Shapes follow the seeds: token, bot info, message create and reply. It enforces the
 * published IM limits the way Feishu does — per app 50/s and 1000/min over create and
 * reply together, 5/s per receiver — answering 429 with code 99991400 past them, and it
 * dedupes sends by `uuid` (a repeated uuid gets the first message back, sends nothing).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receipt {
  /** `create` or `reply`. */
  kind: 'create' | 'reply';
  uuid: string | undefined;
  /** receive_id for create, the replied-to message's chat (or the message id) for reply. */
  receiver: string;
  /** The message replied to (reply only). */
  repliedTo?: string;
  at: number;
  /** 200 sent, 429 refused for rate, or `duplicate` (same uuid as an earlier send). */
  outcome: 'sent' | 'rate_limited' | 'duplicate';
  /** The card as sent (content string). */
  content: string;
}

/** What the fake saw, for a run in another process (`GET /_fake/stats`). */
export interface FakeStats {
  sent: number;
  rateLimited: number;
  duplicates: number;
  firstSentAt?: number;
  lastSentAt?: number;
}

export interface FakeFeishu {
  url: string;
  receipts: Receipt[];
  /** Tells the fake which chat a message belongs to, so replies count against that receiver. */
  knowMessage(messageId: string, chatId: string): void;
  /** While held, sends wait (the connection stays open) until `release()`. */
  hold(): void;
  release(): void;
  /** Sends waiting while held. */
  heldCount(): number;
  /** Sends Feishu accepted, one per uuid (what people see). */
  delivered(): Receipt[];
  rateLimited(): number;
  close(): Promise<void>;
}

/** Times of accepted calls, for sliding-window limits. */
class Window {
  private times: number[] = [];
  constructor(
    private readonly max: number,
    private readonly periodMs: number,
  ) {}
  allows(now: number): boolean {
    while (this.times.length > 0 && this.times[0]! <= now - this.periodMs) this.times.shift();
    return this.times.length < this.max;
  }
  record(now: number): void {
    this.times.push(now);
  }
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString() || '{}');
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/**
 * Starts the fake on 127.0.0.1 with a free port.
 *
 * @example
 * const feishu = await startFakeFeishu()
 * // FEISHU_BASE_URL = feishu.url
 * await feishu.close()
 */
export async function startFakeFeishu(opts: { appPerSecond?: number; appPerMinute?: number; perReceiverPerSecond?: number } = {}): Promise<FakeFeishu> {
  const appSecond = new Window(opts.appPerSecond ?? 50, 1000);
  const appMinute = new Window(opts.appPerMinute ?? 1000, 60_000);
  const receivers = new Map<string, Window>();
  const chats = new Map<string, string>();
  const byUuid = new Map<string, string>();
  const receipts: Receipt[] = [];
  let held: Array<() => void> | undefined;
  let seq = 0;

  async function send(kind: Receipt['kind'], req: IncomingMessage, res: ServerResponse, url: URL, repliedTo?: string): Promise<void> {
    const body = await bodyOf(req);
    if (held) await new Promise<void>((resolve) => held!.push(resolve));
    const uuid = typeof body.uuid === 'string' ? body.uuid : undefined;
    const receiver = kind === 'create' ? String(body.receive_id ?? '') : (chats.get(repliedTo ?? '') ?? repliedTo ?? '');
    const content = typeof body.content === 'string' ? body.content : '';
    const at = Date.now();
    const receipt = (outcome: Receipt['outcome']) => receipts.push({ kind, uuid, receiver, repliedTo, at, outcome, content });
    const earlier = uuid ? byUuid.get(uuid) : undefined;
    if (earlier) {
      receipt('duplicate');
      return json(res, 200, { code: 0, msg: 'success', data: { message_id: earlier, chat_id: receiver } });
    }
    let perReceiver = receivers.get(receiver);
    if (!perReceiver) receivers.set(receiver, (perReceiver = new Window(opts.perReceiverPerSecond ?? 5, 1000)));
    if (!appSecond.allows(at) || !appMinute.allows(at) || !perReceiver.allows(at)) {
      receipt('rate_limited');
      return json(res, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-reset': '1' });
    }
    appSecond.record(at);
    appMinute.record(at);
    perReceiver.record(at);
    const messageId = `om_fake_${++seq}`;
    if (uuid) byUuid.set(uuid, messageId);
    receipt('sent');
    void url;
    json(res, 200, { code: 0, msg: 'success', data: { message_id: messageId, chat_id: receiver } });
  }

  function stats(): FakeStats {
    const sent = receipts.filter((r) => r.outcome === 'sent');
    return {
      sent: sent.length,
      rateLimited: receipts.filter((r) => r.outcome === 'rate_limited').length,
      duplicates: receipts.filter((r) => r.outcome === 'duplicate').length,
      firstSentAt: sent[0]?.at,
      lastSentAt: sent.at(-1)?.at,
    };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    const reply = /^\/open-apis\/im\/v1\/messages\/([\w-]+)\/reply$/.exec(path);
    const route = async (): Promise<void> => {
      if (req.method === 'POST' && path === '/open-apis/auth/v3/tenant_access_token/internal') {
        await bodyOf(req);
        return json(res, 200, { code: 0, msg: 'ok', tenant_access_token: 't-fake-token', expire: 7200 });
      }
      // Control routes for a fake run in another process (the bench).
      if (req.method === 'GET' && path === '/_fake/stats') return json(res, 200, stats());
      if (req.method === 'POST' && path === '/_fake/know') {
        const pairs = (await bodyOf(req)).pairs;
        if (Array.isArray(pairs)) for (const [m, c] of pairs as Array<[string, string]>) chats.set(m, c);
        return json(res, 200, { ok: true });
      }
      if (req.method === 'GET' && path === '/open-apis/bot/v3/info') return json(res, 200, { code: 0, msg: 'ok', bot: { open_id: 'ou_fake_bot' } });
      if (req.method === 'POST' && path === '/open-apis/im/v1/messages') return send('create', req, res, url);
      if (req.method === 'POST' && reply) return send('reply', req, res, url, reply[1]);
      await bodyOf(req);
      json(res, 404, { code: 404, msg: `fake feishu: no route ${req.method} ${path}` });
    };
    route().catch(() => json(res, 500, { code: 500, msg: 'fake failed' }));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    receipts,
    knowMessage: (messageId, chatId) => void chats.set(messageId, chatId),
    hold: () => void (held ??= []),
    release: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const go of waiting) go();
    },
    heldCount: () => held?.length ?? 0,
    delivered: () => receipts.filter((r) => r.outcome === 'sent'),
    rateLimited: () => receipts.filter((r) => r.outcome === 'rate_limited').length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
