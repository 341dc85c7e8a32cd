/**
 * The whole product as `npm start` wires it: a real server on a local port, real Redis,
 * signed and encrypted Feishu deliveries over HTTP, the router, self-service against msw
 * handlers built from the seeds, and cards back out through the Feishu fake.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/main.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, cardEvent, feishuRequest, messageEvent } from './support/feishu-events.js';
import { BOT_OPEN_ID, testAppId } from './support/feishu-mock.js';
import { ASKER, createGuard, seedHandlers } from './support/self-service.js';
import { installFeishuMockForServer } from './support/webhook-app.js';

const mock = installFeishuMockForServer();
let running: RunningServer | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(): Promise<RunningServer> {
  const config = loadConfig({
    FEISHU_APP_ID: testAppId(),
    FEISHU_APP_SECRET: 'secret_e2e',
    FEISHU_VERIFICATION_TOKEN: VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: ENCRYPT_KEY,
    FEISHU_BASE_URL: mock.baseUrl,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
  });
  running = await startServer(config, { drainTimeoutMs: 10_000 });
  return running;
}

/** The most recent `month` (1-12) not after today, as YYYY-MM (the contract's rule). */
function latest(month: number, now = new Date()): string {
  const year = now.getUTCMonth() + 1 >= month ? now.getUTCFullYear() : now.getUTCFullYear() - 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

async function post(server: RunningServer, path: string, payload: unknown, encrypt = true): Promise<Response> {
  return fetch(`${server.url}${path}`, feishuRequest(payload, { encryptKey: ENCRYPT_KEY, encrypt }));
}

describe('end to end', () => {
  it('a private "我还有几天年假" comes back as a leave-balance card for the asker only', async () => {
    const guard = createGuard();
    mock.use(...seedHandlers(mock, guard));
    const server = await start();
    const res = await post(server, '/webhook/event', messageEvent({ openId: ASKER, text: '我还有几天年假？' }));
    expect(res.status).toBe(200);
    await server.settled(); // jobs run on the BullMQ queue

    expect(guard.violations).toEqual([]);
    expect(mock.sent).toHaveLength(1);
    const card = JSON.parse(mock.sent[0]!.content) as { schema: string; body: unknown };
    expect(card.schema).toBe('2.0');
    expect(JSON.stringify(card)).toContain('年假');
    expect(mock.callsTo('/open-apis/corehr/v1/leaves/leave_balances').length).toBeGreaterThanOrEqual(1);
  });

  it('"payslip Jan" in a group goes to the asker privately; the group sees no figures', async () => {
    const guard = createGuard();
    mock.use(...seedHandlers(mock, guard, { payrollMonths: new Set([latest(1)]) }));
    const server = await start();
    const event = messageEvent({ openId: ASKER, text: '@_user_1 payslip Jan', chatType: 'group' });
    const message = event.event.message as Record<string, unknown>;
    message.chat_id = 'oc_team_chat';
    message.mentions = [{ key: '@_user_1', id: { open_id: BOT_OPEN_ID }, name: 'HR Assistant', tenant_key: 'tk_test' }];
    expect((await post(server, '/webhook/event', event)).status).toBe(200);
    await server.settled(); // jobs run on the BullMQ queue

    expect(guard.violations).toEqual([]);
    const privately = mock.sent.filter((m) => m.receiveIdType === 'open_id' && m.receiveId === ASKER);
    const inGroup = mock.sent.filter((m) => m.replyTo === message.message_id);
    expect(privately).toHaveLength(1);
    expect(privately[0]!.content).toContain('12,000');
    expect(inGroup).toHaveLength(1);
    expect(inGroup[0]!.content).not.toMatch(/(?<![\d,])\d[\d,]*\.\d\d|12,?000/);
    expect(mock.sent).toHaveLength(2);
  });

  it('a refresh click answers with a toast, then the clicker\'s own card is updated in place', async () => {
    const guard = createGuard('ou_approver_1');
    mock.use(...seedHandlers(mock, guard));
    const server = await start();
    await post(server, '/webhook/event', messageEvent({ openId: 'ou_approver_1', text: '我还有几天年假' }));
    await server.settled(); // jobs run on the BullMQ queue
    const own = mock.sent[0]!;
    expect(own).toMatchObject({ receiveIdType: 'open_id', receiveId: 'ou_approver_1' });
    const click = cardEvent({
      openMessageId: own.messageId,
      value: { action: 'run_intent', intent: 'leave.balance', slots: JSON.stringify({ leaveType: 'sick' }), placement: 'replace' },
    });
    const res = await post(server, '/webhook/card', click);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast?: { type: string }; card?: unknown };
    expect(body.toast?.type).toBe('success');
    expect(body.card).toBeUndefined();
    await server.settled(); // jobs run on the BullMQ queue
    expect(mock.updates).toHaveLength(1);
    const update = mock.updates[0]!;
    expect(update).toMatchObject({ kind: 'patch', messageId: own.messageId });
    expect(update.kind === 'patch' && (JSON.parse(update.content) as { schema: string }).schema).toBe('2.0');
    expect(update.kind === 'patch' && update.content).toContain('病假');
    expect(mock.sent).toHaveLength(1);
    expect(guard.violations).toEqual([]);
  });
});
