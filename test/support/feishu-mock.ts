/**
 * A fake Feishu open platform for tests, built on msw 2 (intercepts the SDK's axios
 * and fetch in this process).
 *
 * What it gives you:
 * - `calls`: every request to `baseUrl`, in arrival order, with method, path, query,
 *   parsed body, headers and arrival time `at` (Date.now()). Recorded before any
 *   handler answers, so overrides added with `use()` are recorded too.
 * - default handlers for the token endpoint (tokens `t-1`, `t-2`, … with expire 7200,
 *   counted in `tokenIssued`), message create/reply (returns `om_<n>`, honours `uuid`
 *   like Feishu: the same uuid gets the same message_id and only the first one lands
 *   in `sent`), message PATCH and the delayed card update (recorded in `updates`).
 *   Message endpoints check `Authorization: Bearer <issued token>` and answer
 *   99991661 / 99991663 like Feishu; `invalidateTokens()` makes every token issued so
 *   far invalid (next calls get 99991663).
 * - `use(...handlers)`: add overrides for this test (prepended, so they win). Always use
 *   this rather than `server.use`, so the recorder stays in front.
 * - `reset()`: forget calls, tokens, sends and overrides (call it in `afterEach`).
 * - `authError(request)`: the Feishu-shaped 400 answer when a request carries no valid
 *   token, else undefined, for your own handlers of other APIs.
 *
 * Lifecycle: `mock.server.listen({ onUnhandledRequest: 'error' })` in `beforeAll`,
 * `mock.reset()` in `afterEach`, `mock.server.close()` in `afterAll`, or simply call
 * `installFeishuMock()` at the top of a test file, which registers exactly those hooks.
 *
 * The SDK caches tokens per appId for the whole process; give each test its own app
 * with `testAppId()` so no test sees another's token or Redis keys.
 *
 * @example
 * const mock = installFeishuMock()
 * mock.use(http.get(`${mock.baseUrl}/open-apis/corehr/v1/leaves/leave_types`,
 *   ({ request }) => mock.authError(request) ?? HttpResponse.json({ code: 0, msg: 'ok', data: { items: [] } })))
 * // … run code …
 * expect(mock.callsTo('/open-apis/im/v1/messages')).toHaveLength(1)
 */
import { randomBytes } from 'node:crypto';
import { http, HttpResponse, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

export interface RecordedCall {
  method: string;
  /** Path without the query string, e.g. `/open-apis/im/v1/messages`. */
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body; the raw text when not JSON; undefined when empty. */
  body: unknown;
  headers: Headers;
  /** Date.now() when the request arrived. */
  at: number;
}

/** One message that Feishu would have delivered (after uuid dedupe). */
export interface SentMessage {
  messageId: string;
  /** `open_id` / `chat_id` for create; undefined for replies. */
  receiveIdType?: string;
  receiveId?: string;
  /** The message replied to, for replies. */
  replyTo?: string;
  msgType: string;
  /** The `content` string as sent (a serialised card for interactive messages). */
  content: string;
  uuid?: string;
}

/** A card update: PATCH of a message, or a delayed update by callback token. */
export type CardUpdate =
  | { kind: 'patch'; messageId: string; content: string }
  | { kind: 'token'; token: string; card: unknown };

export interface FeishuMock {
  baseUrl: string;
  server: ReturnType<typeof setupServer>;
  calls: RecordedCall[];
  /** Calls whose path starts with `pathPrefix`. */
  callsTo(pathPrefix: string): RecordedCall[];
  sent: SentMessage[];
  updates: CardUpdate[];
  use(...handlers: RequestHandler[]): void;
  /** How many tokens the token endpoint has issued since the last reset. */
  readonly tokenIssued: number;
  /** Every token issued so far answers 99991663 from now on. */
  invalidateTokens(): void;
  authError(request: Request): Response | undefined;
  reset(): void;
}

const TOKEN_PATH = '/open-apis/auth/v3/tenant_access_token/internal';

/** The fake bot's own open_id (`GET /open-apis/bot/v3/info`); mention it to address the bot in a group. */
export const BOT_OPEN_ID = 'ou_bot';

/** A fresh app id (`cli_` + 16 hex) so SDK token caches and store keys never collide. */
export function testAppId(): string {
  return `cli_${randomBytes(8).toString('hex')}`;
}

/** Builds the fake; see the file comment for the lifecycle. */
export function createFeishuMock(baseUrl = 'http://feishu.test'): FeishuMock {
  const state = {
    calls: [] as RecordedCall[],
    sent: [] as SentMessage[],
    updates: [] as CardUpdate[],
    tokenIssued: 0,
    validTokens: new Set<string>(),
    issuedEver: 0,
    messageSeq: 0,
    byUuid: new Map<string, string>(),
    recorded: new Set<string>(),
  };

  const recorder = http.all(`${baseUrl}/*`, async ({ request, requestId }) => {
    // `use()` prepends the recorder again each time; record each request once.
    if (state.recorded.has(requestId)) return undefined;
    state.recorded.add(requestId);
    const at = Date.now();
    const url = new URL(request.url);
    state.calls.push({
      method: request.method,
      path: url.pathname,
      query: url.searchParams,
      body: await readBody(request),
      headers: request.headers,
      at,
    });
    return undefined;
  });

  function authError(request: Request): Response | undefined {
    const auth = request.headers.get('authorization') ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!token) return feishuError(400, 99991661, 'Missing access token for authorization');
    if (!state.validTokens.has(token)) return feishuError(400, 99991663, 'Invalid access token for authorization');
    return undefined;
  }

  function deliver(msg: Omit<SentMessage, 'messageId'>): string {
    const known = msg.uuid ? state.byUuid.get(msg.uuid) : undefined;
    if (known) return known;
    const messageId = `om_${++state.messageSeq}`;
    if (msg.uuid) state.byUuid.set(msg.uuid, messageId);
    state.sent.push({ messageId, ...msg });
    return messageId;
  }

  const defaults: RequestHandler[] = [
    // Like Feishu, this answer is not wrapped in `data`.
    http.get(`${baseUrl}/open-apis/bot/v3/info`, ({ request }) => {
      const denied = authError(request);
      if (denied) return denied;
      return HttpResponse.json({ code: 0, msg: 'ok', bot: { activate_status: 2, app_name: 'HR Assistant', open_id: BOT_OPEN_ID } });
    }),
    http.post(`${baseUrl}${TOKEN_PATH}`, () => {
      state.tokenIssued += 1;
      const token = `t-${++state.issuedEver}`;
      state.validTokens.add(token);
      return HttpResponse.json({ code: 0, msg: 'ok', tenant_access_token: token, expire: 7200 });
    }),
    http.post(`${baseUrl}/open-apis/im/v1/messages`, async ({ request }) => {
      const denied = authError(request);
      if (denied) return denied;
      const url = new URL(request.url);
      const body = (await request.clone().json()) as Record<string, string>;
      const messageId = deliver({
        receiveIdType: url.searchParams.get('receive_id_type') ?? undefined,
        receiveId: body.receive_id,
        msgType: body.msg_type ?? '',
        content: body.content ?? '',
        uuid: body.uuid,
      });
      // Like Feishu: the chat the message landed in; a person's chat with the bot is stable.
      const receiveId = body.receive_id ?? '';
      const chatId = url.searchParams.get('receive_id_type') === 'chat_id' ? receiveId : `oc_p2p_of_${receiveId}`;
      return HttpResponse.json(messageAnswer(messageId, body.msg_type, chatId));
    }),
    http.post(`${baseUrl}/open-apis/im/v1/messages/:messageId/reply`, async ({ request, params }) => {
      const denied = authError(request);
      if (denied) return denied;
      const body = (await request.clone().json()) as Record<string, string>;
      const messageId = deliver({
        replyTo: String(params.messageId),
        msgType: body.msg_type ?? '',
        content: body.content ?? '',
        uuid: body.uuid,
      });
      return HttpResponse.json(messageAnswer(messageId, body.msg_type));
    }),
    http.patch(`${baseUrl}/open-apis/im/v1/messages/:messageId`, async ({ request, params }) => {
      const denied = authError(request);
      if (denied) return denied;
      const body = (await request.clone().json()) as { content?: string };
      state.updates.push({ kind: 'patch', messageId: String(params.messageId), content: body.content ?? '' });
      return HttpResponse.json({ code: 0, msg: 'success', data: {} });
    }),
    http.post(`${baseUrl}/open-apis/interactive/v1/card/update`, async ({ request }) => {
      const denied = authError(request);
      if (denied) return denied;
      const body = (await request.clone().json()) as { token?: string; card?: unknown };
      state.updates.push({ kind: 'token', token: body.token ?? '', card: body.card });
      return HttpResponse.json({ code: 0, msg: 'success' });
    }),
  ];

  const server = setupServer(recorder, ...defaults);

  return {
    baseUrl,
    server,
    calls: state.calls,
    callsTo: (prefix) => state.calls.filter((c) => c.path.startsWith(prefix)),
    sent: state.sent,
    updates: state.updates,
    use: (...handlers) => server.use(recorder, ...handlers),
    get tokenIssued() {
      return state.tokenIssued;
    },
    invalidateTokens: () => state.validTokens.clear(),
    authError,
    reset() {
      // Arrays are emptied in place so references held by tests stay live.
      state.calls.length = 0;
      state.sent.length = 0;
      state.updates.length = 0;
      state.tokenIssued = 0;
      state.validTokens.clear();
      state.byUuid.clear();
      state.recorded.clear();
      server.resetHandlers();
    },
  };
}

/** Creates the mock and registers listen / reset / close hooks in the current file. */
export function installFeishuMock(baseUrl = 'http://feishu.test'): FeishuMock {
  const mock = createFeishuMock(baseUrl);
  beforeAll(() => mock.server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => mock.reset());
  afterAll(() => mock.server.close());
  return mock;
}

/** A Feishu error body (`{code, msg}`) with the given HTTP status. */
export function feishuError(status: number, code: number, msg: string, headers?: Record<string, string>): Response {
  return HttpResponse.json({ code, msg }, { status, headers });
}

function messageAnswer(messageId: string, msgType: string | undefined, chatId?: string) {
  const now = String(Date.now());
  return {
    code: 0,
    msg: 'success',
    data: {
      message_id: messageId,
      msg_type: msgType ?? 'interactive',
      create_time: now,
      update_time: now,
      deleted: false,
      updated: false,
      ...(chatId ? { chat_id: chatId } : {}),
    },
  };
}

async function readBody(request: Request): Promise<unknown> {
  const text = await request.clone().text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
