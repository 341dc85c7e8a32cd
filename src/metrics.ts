import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * Prometheus metrics of one bot process. One instance per app (tests build their own
 * so counts never leak between them).
 */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry });
  return {
    registry,
    eventsReceived: new Counter({
      name: 'hrbot_events_received_total',
      help: 'Verified events and callbacks received, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    duplicatesDropped: new Counter({
      name: 'hrbot_duplicates_dropped_total',
      help: 'Deliveries dropped because the same event/message was already handled or in flight',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    verificationFailures: new Counter({
      name: 'hrbot_verification_failures_total',
      help: 'Requests rejected before any processing, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    handlerOutcomes: new Counter({
      name: 'hrbot_handler_outcomes_total',
      help: 'Deferred handler runs, by outcome',
      labelNames: ['type', 'outcome'] as const,
      registers: [registry],
    }),
    outboundCalls: new Counter({
      name: 'hrbot_outbound_calls_total',
      help: 'Calls to Feishu and CompanyFlow, by API and result',
      labelNames: ['api', 'result'] as const,
      registers: [registry],
    }),
    outboundDuration: new Histogram({
      name: 'hrbot_outbound_duration_seconds',
      help: 'Duration of outbound calls (including retries), by API',
      labelNames: ['api'] as const,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    limiterWait: new Histogram({
      name: 'hrbot_limiter_wait_seconds',
      help: 'Time spent waiting for the shared rate limiter, by API',
      labelNames: ['api'] as const,
      buckets: [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'hrbot_webhook_ack_seconds',
      help: 'Time from request to webhook answer, by path',
      labelNames: ['path'] as const,
      buckets: [0.001, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 3],
      registers: [registry],
    }),
    intakeHolds: new Counter({
      name: 'hrbot_intake_holds_total',
      help: 'Times jobs waited (at most 2 s) for an intake burst of this process to pass',
      registers: [registry],
    }),
    jobsHeld: new Counter({
      name: 'hrbot_jobs_held_total',
      help: 'Jobs that waited for an intake burst of this process to pass',
      registers: [registry],
    }),
    longConnectionUp: new Gauge({
      name: 'hrbot_long_connection_up',
      help: '1 while the long connection to Feishu is open (websocket mode)',
      registers: [registry],
    }),
    reminders: new Counter({
      name: 'hrbot_reminders_total',
      help: 'Balance reminders by outcome (sent, failed, skipped_opted_out, skipped_zero_balance, skipped_already_reminded)',
      labelNames: ['outcome'] as const,
      registers: [registry],
    }),
    reminderPassSeconds: new Histogram({
      name: 'hrbot_reminder_pass_seconds',
      help: 'Duration of a whole reminder pass',
      buckets: [1, 10, 60, 300, 900, 1800, 3600, 7200],
      registers: [registry],
    }),
    longConnectionReconnects: new Counter({
      name: 'hrbot_long_connection_reconnects_total',
      help: 'Reconnect attempts of the long connection (websocket mode)',
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
