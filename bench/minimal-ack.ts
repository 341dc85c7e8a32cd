/**
 * The least a durable ack can do, as a yardstick for the reply burst: a raw `node:http`
 * server that reads the body, checks signature and timestamp, decrypts, parses the event
 * (the bot's own `verifyDelivery` and zod schema) and queues the message job through the
 * bot's own BullMQ queue (`createBullQueue().enqueue`: one add, the same job and options)
 * on the same Redis before it answers 200. No framework, no logging, no metrics, no worker.
 * What the bot acks beyond this is its own overhead; what this acks below the bare server
 * is the price of verifying and enqueueing at all.
 *
 * Its two halves run as yardsticks of their own, so that the price of each is measured
 * rather than guessed: `verify` (verify, decrypt and parse, then 200, no Redis) and
 * `enqueue` (read the body, queue a message job of the same shape, then 200, no
 * verification: an intake that must not exist, measured only for its cost).
 *
 * @example
 * const minimal = await startMinimalAck({ redisUrl, encryptKey, verificationToken })
 * await drive(minimal.port, requests, 32, 60_000)
 * await minimal.stop()
 */
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { IncomingMessage } from '../src/bot/events.js';
import { verifyDelivery, type HeaderReader } from '../src/http/verify.js';
import { MessageReceiveEvent } from '../src/http/schemas.js';
import { toMessage } from '../src/intake/intake.js';
import { createBullQueue } from '../src/jobs/bullmq.js';
import { silentLogger } from '../src/log.js';
import { close, listen } from './intake.js';

export interface MinimalAck {
  port: number;
  /** Jobs it has queued that are still waiting (no worker takes them); 0 for `verify`. */
  queued(): Promise<number>;
  stop(): Promise<void>;
}

/** What the yardstick does per event before its 200: both halves of a durable ack, or one of them. */
export type MinimalSteps = 'verify+enqueue' | 'verify' | 'enqueue';

/** Twice what a message envelope of the burst takes; larger bodies are refused as the bot does. */
const MAX_BYTES = 64 * 1024;

export async function startMinimalAck(opts: {
  redisUrl: string;
  encryptKey: string;
  verificationToken: string;
  steps?: MinimalSteps;
}): Promise<MinimalAck> {
  const steps = opts.steps ?? 'verify+enqueue';
  // Its own key space, so the bot's workers never see these jobs; removed when it stops.
  const prefix = `bench-minimal-${randomBytes(4).toString('hex')}`;
  const queueName = 'minimal-ack';
  const queue = steps === 'verify' ? undefined : createBullQueue({ url: opts.redisUrl, prefix, queueName, logger: silentLogger });
  await queue?.ping();
  const verify = { verificationToken: opts.verificationToken, encryptKey: opts.encryptKey, allowLegacyCard: false, maxSkewMs: 8 * 3600_000, now: Date.now };
  const answer = (res: http.ServerResponse, status: number) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{}');
  };
  const enqueue = (res: http.ServerResponse, msg: IncomingMessage) => {
    queue!.enqueue({ kind: 'message', msg }).then(
      () => answer(res, 200),
      () => answer(res, 503),
    );
  };
  // The enqueue-only half cannot read the event: its jobs are the burst's message with ids
  // of the same length that differ per event.
  const runId = randomBytes(4).toString('hex');
  let unverified = 0;
  const standIn = (n: number): IncomingMessage => {
    const id = `${runId}_${n}`;
    return { eventId: `ev_${id}`, messageId: `om_${id}`, chatId: `oc_${id}`, chatType: 'p2p', messageType: 'text', content: '{"text":"help"}', senderOpenId: `ou_${id}`, senderType: 'user', mentions: [], createTime: Date.now() };
  };
  const server = http.createServer((req, res) => {
    const headers: HeaderReader = {
      get: (name) => {
        const value = req.headers[name];
        return typeof value === 'string' ? value : null;
      },
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_BYTES) return answer(res, 413);
      if (steps === 'enqueue') return enqueue(res, standIn(unverified++));
      const delivery = verifyDelivery(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks), headers, verify);
      if ('status' in delivery) return answer(res, delivery.status);
      if (delivery.kind !== 'event') return answer(res, 200);
      const event = MessageReceiveEvent.safeParse(delivery.envelope.event);
      if (!event.success) return answer(res, 400);
      if (steps === 'verify') return answer(res, 200);
      enqueue(res, toMessage(delivery.envelope.header.event_id, event.data));
    });
  });
  server.listen(0, '127.0.0.1');
  const port = await listen(server);
  // A plain handle on the same keys, to count and remove what the queue added.
  const connection = queue && new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  const inspect = connection && new Queue(queueName, { connection, prefix });
  return {
    port,
    // A person's second job in a row waits prioritized (turns), the rest plain.
    queued: async () => (inspect ? (await inspect.getWaitingCount()) + (await inspect.getPrioritizedCount()) : 0),
    async stop() {
      await close(server);
      await queue?.close();
      await inspect?.obliterate({ force: true }).catch(() => undefined);
      await inspect?.close();
      connection?.disconnect();
    },
  };
}
