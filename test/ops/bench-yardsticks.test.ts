import { afterEach, describe, expect, it } from 'vitest';
import { startMinimalAck, type MinimalAck, type MinimalSteps } from '../../bench/minimal-ack.js';
import { ENCRYPT_KEY, VERIFICATION_TOKEN, feishuRequest, messageEvent } from '../support/feishu-events.js';

// The reply burst's yardsticks (`npm run bench`) stand for "the least a durable ack does" and
// its two halves; their figures mean something only if each does exactly that much.
const redisUrl = process.env.TEST_REDIS_URL!;
let running: MinimalAck | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function start(steps: MinimalSteps): Promise<{ post: (init: RequestInit) => Promise<number>; ack: MinimalAck }> {
  running = await startMinimalAck({ redisUrl, encryptKey: ENCRYPT_KEY, verificationToken: VERIFICATION_TOKEN, steps });
  const ack = running;
  return { ack, post: async (init) => (await fetch(`http://127.0.0.1:${ack.port}/webhook/event`, init)).status };
}

const signed = () => feishuRequest(messageEvent(), { encrypt: true, encryptKey: ENCRYPT_KEY });
const forged = () => {
  const req = signed();
  return { ...req, headers: { ...req.headers, 'x-lark-signature': '0'.repeat(64) } };
};

describe('bench yardsticks (bench/minimal-ack.ts)', () => {
  it('minimal durable ack: verifies, then adds one job per accepted event before its 200', async () => {
    const { post, ack } = await start('verify+enqueue');
    expect(await post(signed())).toBe(200);
    expect(await post(signed())).toBe(200);
    expect(await ack.queued()).toBe(2);
    expect(await post(forged())).toBe(401);
    expect(await post(feishuRequest(messageEvent(), { encrypt: true, encryptKey: ENCRYPT_KEY, unsigned: true }))).toBe(401);
    expect(await ack.queued()).toBe(2);
  });

  it('verify only: the same checks, and nothing queued', async () => {
    const { post, ack } = await start('verify');
    expect(await post(signed())).toBe(200);
    expect(await post(forged())).toBe(401);
    expect(await ack.queued()).toBe(0);
  });

  it('enqueue only: one job per request, verified or not', async () => {
    const { post, ack } = await start('enqueue');
    expect(await post(signed())).toBe(200);
    expect(await post(forged())).toBe(200);
    expect(await ack.queued()).toBe(2);
  });
});
