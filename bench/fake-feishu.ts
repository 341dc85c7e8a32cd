/**
 * A local fake of the Feishu open platform, as a real HTTP server (for the reply-burst
 * bench and for tests that run the bot in child processes, where msw cannot reach).
 * Shapes follow the seeds: token, bot info, message create and reply. It enforces the
 * published IM limits the way Feishu does — per app 50/s and 1000/min over create and
 * reply together, 5/s per receiver — answering 429 with code 99991400 past them, and it
 * dedupes sends by `uuid` (a repeated uuid gets the first message back, sends nothing).
 * Given a roster it also serves the balance report (seed 000: pages of `page_size`, 100/min)
 * and grant records expiring in a window (50/s), each limit enforced with a 429 the same way.
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

/** One synthetic employee: balances per leave type and grants with what is left and when they lapse. */
export interface FakeEmployee {
  openId: string;
  balances: Array<{ leaveTypeId: string; zh: string; en: string; balance: number; unit?: 1 | 2 }>;
  grants?: Array<{ leaveTypeId: string; left: number; expires: string }>;
}

/** Calls per HR API and the 429s they met. */
export interface HrCallStats {
  balancePages: number;
  expireRecords: number;
  rateLimited: number;
}

/** One call to a rate-limited API as the fake saw it (refused ones included). */
export interface FakeCall {
  api: 'im.send' | 'corehr.leaveBalances' | 'attendance.expireRecords';
  at: number;
  /** Sends: the receiver the per-receiver limit counts. */
  receiver?: string;
  rateLimited: boolean;
}

/** What the fake saw, for a run in another process (`GET /_fake/stats`). */
export interface FakeStats {
  sent: number;
  rateLimited: number;
  duplicates: number;
  firstSentAt?: number;
  lastSentAt?: number;
  hr: HrCallStats;
}

export interface FakeFeishu {
  url: string;
  receipts: Receipt[];
  /** Tells the fake which chat a message belongs to, so replies count against that receiver. */
  knowMessage(messageId: string, chatId: string): void;
  /** While held, sends wait (the connection stays open) until `release()`. */
  hold(): void;
  release(): void;
  /** Ends the held sends without taking them (their senders died first) and stops holding. */
  dropHeld(): void;
  /** Sends waiting while held. */
  heldCount(): number;
  /**
   * The next balance-report page request waits, its connection open, until `release()`
   * (a page fetch that takes as long as a test needs); `held` resolves once it arrived.
   */
  holdNextPage(): { held: Promise<void>; release: () => void };
  /** Sends Feishu accepted, one per uuid (what people see). */
  delivered(): Receipt[];
  rateLimited(): number;
  /** Receivers the bot may not message (code 230013, as for people outside the app's availability). */
  unreachable: Set<string>;
  /** Balance-report pages and expire-record calls served, and the 429s they met. */
  hrCalls(): HrCallStats;
  /** Every call to a rate-limited API in arrival order, refused ones included. */
  calls(): FakeCall[];
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
export async function startFakeFeishu(
  opts: { appPerSecond?: number; appPerMinute?: number; perReceiverPerSecond?: number; employees?: readonly FakeEmployee[] } = {},
): Promise<FakeFeishu> {
  const employees = opts.employees ?? [];
  const balanceMinute = new Window(100, 60_000);
  const expireSecond = new Window(50, 1000);
  const hr: HrCallStats = { balancePages: 0, expireRecords: 0, rateLimited: 0 };
  const hrLog: FakeCall[] = [];
  const unreachable = new Set<string>();
  const appSecond = new Window(opts.appPerSecond ?? 50, 1000);
  const appMinute = new Window(opts.appPerMinute ?? 1000, 60_000);
  const receivers = new Map<string, Window>();
  const chats = new Map<string, string>();
  const byUuid = new Map<string, string>();
  const receipts: Receipt[] = [];
  let held: Array<(taken: boolean) => void> | undefined;
  let pageHold: { arrived: () => void; gate: Promise<void> } | undefined;
  let seq = 0;

  async function send(kind: Receipt['kind'], req: IncomingMessage, res: ServerResponse, url: URL, repliedTo?: string): Promise<void> {
    const body = await bodyOf(req);
    if (held && !(await new Promise<boolean>((resolve) => held!.push(resolve)))) {
      // Dropped: the sender died before Feishu took the message, so nothing was sent.
      res.destroy();
      return;
    }
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
    if (unreachable.has(receiver)) return json(res, 400, { code: 230013, msg: 'Bot has NO availability to this user.' });
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

  /** A published limit, enforced the way Feishu does (429, code 99991400). */
  function limited(api: FakeCall['api'], window: Window, res: ServerResponse): boolean {
    const at = Date.now();
    const allowed = window.allows(at);
    hrLog.push({ api, at, rateLimited: !allowed });
    if (!allowed) {
      hr.rateLimited++;
      json(res, 429, { code: 99991400, msg: 'request trigger frequency limit' }, { 'x-ogw-ratelimit-reset': '1' });
      return true;
    }
    window.record(at);
    return false;
  }

  /** Seed 000: a page of everybody's balances (no employment_id_list), employment_id = open_id. */
  async function balancePage(url: URL, res: ServerResponse): Promise<void> {
    const hold = pageHold;
    pageHold = undefined;
    if (hold) {
      hold.arrived();
      await hold.gate;
    }
    if (limited('corehr.leaveBalances', balanceMinute, res)) return;
    hr.balancePages++;
    if (url.searchParams.get('user_id_type') !== 'open_id') return json(res, 400, { code: 1160016, msg: 'Invalid param' });
    const size = Math.min(100, Math.max(1, Number(url.searchParams.get('page_size') ?? '20') || 20));
    const start = Number(url.searchParams.get('page_token') ?? '0') || 0;
    const wanted = url.searchParams.getAll('employment_id_list');
    const pool = wanted.length ? employees.filter((e) => wanted.includes(e.openId)) : employees;
    const slice = pool.slice(start, start + size);
    const more = start + size < pool.length;
    json(res, 200, {
      code: 0,
      msg: 'success',
      data: {
        employment_leave_balance_list: slice.map((e) => ({
          employment_id: e.openId,
          as_of_date: new Date().toISOString().slice(0, 10),
          leave_balance_list: e.balances.map((b) => ({
            leave_type_id: b.leaveTypeId,
            leave_type_name: [
              { lang: 'zh-CN', value: b.zh },
              { lang: 'en-US', value: b.en },
            ],
            leave_balance: String(b.balance),
            historical_cycles_left: '0',
            this_cycle_total: String(b.balance),
            this_cycle_taken: '0',
            leave_duration_unit: b.unit ?? 1,
          })),
        })),
        has_more: more,
        ...(more ? { page_token: String(start + size) } : {}),
      },
    });
  }

  /** Grants of one person and type expiring in [start, end] (JSON body on GET, as Feishu takes it). */
  async function expireRecords(leaveId: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await bodyOf(req);
    if (limited('attendance.expireRecords', expireSecond, res)) return;
    hr.expireRecords++;
    const from = String(body.start_expiration_date ?? '');
    const to = String(body.end_expiration_date ?? '');
    const person = employees.find((e) => e.openId === body.employment_id);
    const records = (person?.grants ?? [])
      .filter((g) => g.leaveTypeId === leaveId && g.expires >= from && g.expires <= to)
      .map((g, i) => ({
        id: `grant_${i}`,
        employment_id: person!.openId,
        leave_type_id: g.leaveTypeId,
        granting_quantity: String(g.left),
        left_granting_quantity: String(g.left),
        granting_unit: 1,
        effective_date: '2026-01-01',
        expiration_date: g.expires,
        reason: [],
        is_update_by_external: false,
        accrual_source: 1,
        leave_sub_type_id: '',
      }));
    json(res, 200, { code: 0, msg: 'success', data: { records } });
  }

  function stats(): FakeStats {
    const sent = receipts.filter((r) => r.outcome === 'sent');
    return {
      sent: sent.length,
      rateLimited: receipts.filter((r) => r.outcome === 'rate_limited').length,
      duplicates: receipts.filter((r) => r.outcome === 'duplicate').length,
      firstSentAt: sent[0]?.at,
      lastSentAt: sent.at(-1)?.at,
      hr: { ...hr },
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
      if (req.method === 'GET' && path === '/open-apis/corehr/v1/leaves/leave_balances') return balancePage(url, res);
      const expire = /^\/open-apis\/attendance\/v1\/leave_employ_expire_records\/(\w+)$/.exec(path);
      if (req.method === 'GET' && expire) return expireRecords(expire[1]!, req, res);
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
      for (const go of waiting) go(true);
    },
    dropHeld: () => {
      const waiting = held ?? [];
      held = undefined;
      for (const go of waiting) go(false);
    },
    heldCount: () => held?.length ?? 0,
    holdNextPage: () => {
      let arrived!: () => void;
      let release!: () => void;
      const heldPage = new Promise<void>((resolve) => (arrived = resolve));
      const gate = new Promise<void>((resolve) => (release = resolve));
      pageHold = { arrived, gate };
      return { held: heldPage, release };
    },
    delivered: () => receipts.filter((r) => r.outcome === 'sent'),
    rateLimited: () => receipts.filter((r) => r.outcome === 'rate_limited').length,
    hrCalls: () => ({ ...hr }),
    calls: () =>
      [
        ...receipts.map((r): FakeCall => ({ api: 'im.send', at: r.at, receiver: r.receiver, rateLimited: r.outcome === 'rate_limited' })),
        ...hrLog,
      ].sort((a, b) => a.at - b.at),
    unreachable,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
