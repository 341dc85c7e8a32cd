import type { EventSink } from '../bot/events.js';
import { FeishuApiError, RateLimitTimeoutError } from '../feishu/types.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';
import { runInJob } from './context.js';
import type { IntakePressure } from './intake-pressure.js';
import { isAccrualJob, isQuestionJob, JobFailure, JobHandedBack, personOf, refOf, type JobProcessor, type WorkJob } from './types.js';

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

const LABELS: Partial<Record<WorkJob['kind'], string>> = { message: 'im.message.receive_v1', cardFollowUp: 'card.follow_up', entry: 'entry' };
const label = (job: WorkJob) => LABELS[job.kind] ?? job.kind;

/** Runs the job through the sink; the HR flow's jobs need a sink that has that flow. */
function runThrough(sink: EventSink, job: WorkJob): Promise<void> {
  // Reminders have their own queue and processor (src/reminders/push.ts).
  if (job.kind === 'reminder') throw new JobFailure('wrong_queue', false);
  if (isAccrualJob(job)) {
    if (!sink.onAccrualJob) throw new JobFailure('unsupported_job', false);
    return sink.onAccrualJob(job);
  }
  if (job.kind === 'entry') {
    if (!sink.onEntry) throw new JobFailure('unsupported_job', false);
    return sink.onEntry(job.entry);
  }
  return job.kind === 'message' ? sink.onMessage(job.msg) : sink.onCardFollowUp(job.action);
}

/**
 * Runs queued work through the bot: each job inside its context (whose it is, and the
 * signal that hands it back on shutdown), errors turned into safe codes and a retry
 * verdict, and the person told when their job fails for good.
 *
 * @example
 * queue.startWorker(createJobProcessor({ sink, logger, metrics, pressure }))
 */
export function createJobProcessor(deps: { sink: EventSink; logger: Logger; metrics: Metrics; pressure?: IntakePressure }): JobProcessor {
  const { sink, metrics } = deps;
  return {
    async run(job, signal) {
      // During an intake burst of this process, a person's question waits (bounded) for the acks.
      if (deps.pressure && isQuestionJob(job)) {
        await deps.pressure.whenCalm(signal);
        if (signal.aborted) throw new JobHandedBack();
      }
      const started = Date.now();
      try {
        await runInJob({ person: personOf(job), signal }, () => runThrough(sink, job));
      } catch (err) {
        if (signal.aborted) throw new JobHandedBack();
        if (err instanceof JobFailure) throw err;
        metrics.handlerOutcomes.inc({ type: label(job), outcome: isPassingFault(err) ? 'retry' : 'failed' });
        throw new JobFailure(failureCode(err), isPassingFault(err));
      }
      metrics.handlerOutcomes.inc({ type: label(job), outcome: 'ok' });
      if (deps.logger.isLevelEnabled('info')) {
        if (isAccrualJob(job) || job.kind === 'reminder') deps.logger.info({ jobRef: refOf(job), eventType: label(job), outcome: 'handled', ms: Date.now() - started }, 'job');
        else {
          const eventId = job.kind === 'message' ? job.msg.eventId : job.kind === 'entry' ? job.entry.eventId : job.action.eventId;
          deps.logger.info({ requestId: job.requestId, eventId, eventType: label(job), outcome: 'handled', ms: Date.now() - started }, 'event');
        }
      }
    },
    duplicate(job) {
      metrics.duplicatesDropped.inc({ type: label(job) });
      if (deps.logger.isLevelEnabled('info') && job.kind === 'message') {
        deps.logger.info({ requestId: job.requestId, eventId: job.msg.eventId, eventType: label(job), outcome: 'duplicate' }, 'event');
      }
    },
    async giveUp(job, code) {
      metrics.handlerOutcomes.inc({ type: label(job), outcome: 'gave_up' });
      if (job.kind === 'message') await sink.onGiveUp?.(job.msg, code);
      else if (isAccrualJob(job)) await sink.onAccrualGiveUp?.(job, code);
    },
  };
}
