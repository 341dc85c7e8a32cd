import type { EventSink } from '../bot/events.js';
import { FeishuApiError, RateLimitTimeoutError } from '../feishu/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { runInJob } from './context.js';
import { JobFailure, JobHandedBack, personOf, type JobProcessor, type WorkJob } from './types.js';

/** Faults a later attempt may not meet: Feishu busy or down, or no limiter slot in time. */
export function isPassingFault(err: unknown): boolean {
  return (err instanceof FeishuApiError && err.transient) || err instanceof RateLimitTimeoutError;
}

/** A code that says what failed without any of the error's text (which could quote data). */
export function failureCode(err: unknown): string {
  if (err instanceof FeishuApiError) return `feishu:${err.api}:${err.code || err.httpStatus || 'network'}`;
  if (err instanceof RateLimitTimeoutError) return `limiter_timeout:${err.api}`;
  return 'internal';
}

const label = (job: WorkJob) => (job.kind === 'message' ? 'im.message.receive_v1' : 'card.follow_up');

/**
 * Runs queued work through the bot: each job inside its context (whose it is, and the
 * signal that hands it back on shutdown), errors turned into safe codes and a retry
 * verdict, and the person told when their job fails for good.
 *
 * @example
 * queue.startWorker(createJobProcessor({ sink, logger, metrics }))
 */
export function createJobProcessor(deps: { sink: EventSink; logger: Logger; metrics: Metrics }): JobProcessor {
  const { sink, metrics } = deps;
  return {
    async run(job, signal) {
      const started = Date.now();
      try {
        await runInJob({ person: personOf(job), signal }, () =>
          job.kind === 'message' ? sink.onMessage(job.msg) : sink.onCardFollowUp(job.action),
        );
      } catch (err) {
        if (signal.aborted) throw new JobHandedBack();
        metrics.handlerOutcomes.inc({ type: label(job), outcome: isPassingFault(err) ? 'retry' : 'failed' });
        throw new JobFailure(failureCode(err), isPassingFault(err));
      }
      metrics.handlerOutcomes.inc({ type: label(job), outcome: 'ok' });
      if (deps.logger.isLevelEnabled('info')) {
        const eventId = job.kind === 'message' ? job.msg.eventId : job.action.eventId;
        deps.logger.info({ requestId: job.requestId, eventId, eventType: label(job), outcome: 'handled', ms: Date.now() - started }, 'event');
      }
    },
    async giveUp(job, code) {
      metrics.handlerOutcomes.inc({ type: label(job), outcome: 'gave_up' });
      if (job.kind === 'message') await sink.onGiveUp?.(job.msg, code);
    },
  };
}
