/**
 * The least a durable ack can do, as a yardstick for the reply burst: a raw `node:http`
 * server that reads the body, checks signature and timestamp, decrypts, parses the event
 * (the bot's own `verifyDelivery` and zod schema) and adds one BullMQ job per message on the
 * same Redis before it answers 200. No framework, no logging, no metrics, no dedupe beyond
 * the job id, no worker. What the bot acks beyond this is its own overhead; what this acks
 * below the bare server is the price of verifying and enqueueing at all.
 *
 * Its two halves run as yardsticks of their own, so that the price of each is measured
 * rather than guessed: `verify` (verify, decrypt and parse, then 200, no Redis) and
 * `enqueue` (read the body, add one job of the same shape and options, then 200, no
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
import { verifyDelivery, type HeaderReader } from '../src/http/verify.js';
import { MessageReceiveEvent } from '../src/http/schemas.js';
import { close, listen } from './intake.js';

export interface MinimalAck {
  port: number;
  /** Jobs it has added and that are still waiting (no worker takes them); 0 for `verify`. */
  queued(): Promise<number>;
  stop(): Promise<void>;
}

/** What the yardstick does per event before its 200: both halves of a durable ack, or one of them. */
export type MinimalSteps = 'verify+enqueue' | 'verify' | 'enqueue';

/** Twice what a message envelope of the burst takes; larger bodies are refused as the bot does. */
const MAX_BYTES = 64 * 1024;

const JOB_OPTIONS = { removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 } } as const;

interface MessageJob {
  kind: 'message';
  msg: { eventId: string; messageId: string; chatId: string; content: string; senderOpenId: string | undefined };
}

export async function startMinimalAck(opts: {
  redisUrl: string;
  encryptKey: string;
  verificationToken: string;
  steps?: MinimalSteps;
}): Promise<MinimalAck> {
  const steps = opts.steps ?? 'verify+enqueue';
  const connection = steps === 'verify' ? undefined : new Redis(opts.redisUrl, { maxRetriesPerRequest: null });
  // Its own key space, so the bot's workers never see these jobs; removed when it stops.
  const queue = connection && new Queue('minimal-ack', { connection, prefix: `bench-minimal-${randomBytes(4).toString('hex')}` });
  await queue?.waitUntilReady();
  const verify = { verificationToken: opts.verificationToken, encryptKey: opts.encryptKey, allowLegacyCard: false, maxSkewMs: 8 * 3600_000, now: Date.now };
  const answer = (res: http.ServerResponse, status: number, body = '{}') => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  };
  const enqueue = (res: http.ServerResponse, job: MessageJob) => {
    queue!.add('message', job, { ...JOB_OPTIONS, jobId: `msg-${job.msg.messageId}` }).then(
      () => answer(res, 200),
      () => answer(res, 503),
    );
  };
  // The enqueue-only half cannot read the event: its jobs carry fields of the same sizes as
  // the burst's (ids of its run's length), and ids that differ per event.
  const runId = randomBytes(4).toString('hex');
  let unverified = 0;
  const standIn = (n: number): MessageJob => {
    const id = `${runId}_${n}`;
    return { kind: 'message', msg: { eventId: `ev_${id}`, messageId: `om_${id}`, chatId: `oc_${id}`, content: '{"text":"help"}', senderOpenId: `ou_${id}` } };
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
      const m = event.data.message;
      enqueue(res, {
        kind: 'message',
        msg: { eventId: delivery.envelope.header.event_id, messageId: m.message_id, chatId: m.chat_id, content: m.content, senderOpenId: event.data.sender.sender_id?.open_id },
      });
    });
  });
  server.listen(0, '127.0.0.1');
  const port = await listen(server);
  return {
    port,
    queued: async () => (queue ? queue.getWaitingCount() : 0),
    async stop() {
      await close(server);
      await queue?.obliterate({ force: true }).catch(() => undefined);
      await queue?.close();
      connection?.disconnect();
    },
  };
}
