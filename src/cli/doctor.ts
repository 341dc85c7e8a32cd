import { z } from 'zod';
import type { Config } from '../config.js';
import { apiPath, FEISHU_APIS } from '../feishu/apis.js';
import { feishuClientFor } from '../feishu/client.js';
import { FeishuApiError, type FeishuApi, type FeishuApiName, type FeishuRequest } from '../feishu/types.js';
import { ENCRYPT_KEY_FIX, tokenOnlyWeakness } from '../http/posture.js';
import { silentLogger } from '../log.js';
import { defineCommand, loadCommandConfig } from './command.js';
import { checkWebhooks } from './webhook-check.js';
import { createMetrics } from '../metrics.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';

/** A check's verdict, printed as one plain line. */
interface Finding {
  ok: boolean;
  line: string;
}

/**
 * One harmless call per HR API; a 99991672 answer means the scope is missing. Method,
 * path, scope and purpose come from the API catalogue; only the probe's arguments are here.
 */
interface ScopeProbe {
  api: FeishuApiName;
  req: (today: string) => Pick<FeishuRequest, 'params' | 'data'> & { pathParams?: Record<string, string> };
  onlyFor?: (config: Config) => boolean;
}

const PROBES: readonly ScopeProbe[] = [
  {
    api: 'corehr.leaveTypes',
    req: () => ({ params: { page_size: '1' } }),
    onlyFor: (c) => c.leaveProvider === 'feishu',
  },
  {
    api: 'corehr.idConvert',
    req: () => ({
      params: { id_transform_type: 2, id_type: 'user_id', feishu_user_id_type: 'open_id' },
      data: { ids: ['ou_doctor_probe'] },
    }),
  },
  {
    api: 'payroll.paymentDetail',
    req: (today) => ({
      data: {
        page_index: 1,
        page_size: 1,
        employee_ids: ['0'],
        pay_period_start_date: `${today.slice(0, 7)}-01`,
        pay_period_end_date: today,
      },
    }),
  },
  {
    api: 'compensation.lumpSum',
    req: () => ({ params: { user_id_type: 'open_id', page_size: 1 }, data: { user_ids: ['ou_doctor_probe'] } }),
  },
  {
    api: 'contact.user',
    req: () => ({ pathParams: { user_id: 'ou_doctor_probe' }, params: { user_id_type: 'open_id' } }),
    onlyFor: (c) => c.leaveProvider === 'companyflow',
  },
];

/** The catalogue's request for a probe. */
function probeRequest(probe: ScopeProbe, today: string): FeishuRequest {
  const { pathParams, ...rest } = probe.req(today);
  return { method: FEISHU_APIS[probe.api].method, url: apiPath(probe.api, pathParams), ...rest };
}

/** Token-only webhook mode needs fixing; an Encrypt Key or the long connection is fine. */
function securityFinding(config: Config): Finding {
  const weakness = tokenOnlyWeakness(config);
  if (weakness) return { ok: false, line: `security: weak — ${weakness}. Fix: ${ENCRYPT_KEY_FIX}` };
  if (config.feishu.eventMode === 'websocket') {
    return { ok: true, line: 'security: long connection (websocket mode); no webhook route is served' };
  }
  return { ok: true, line: 'security: strong — every webhook request must carry a valid X-Lark-Signature (Encrypt Key set)' };
}

async function checkStore(config: Config, store: Store): Promise<Finding> {
  const where = config.redisUrl ? `Redis (${new URL(config.redisUrl).host})` : 'the in-memory store (one instance only)';
  try {
    await store.ping();
    return { ok: true, line: `store: ${where} answers` };
  } catch {
    return { ok: false, line: `store: ${where} does not answer — check REDIS_URL and that Redis is running` };
  }
}

async function probeScope(api: FeishuApi, probe: ScopeProbe, today: string): Promise<Finding> {
  const spec = FEISHU_APIS[probe.api];
  const scope = spec.scopes[0] ?? probe.api;
  const what = spec.purpose;
  try {
    await api.call(probe.api, probeRequest(probe, today), z.unknown(), { maxWaitMs: 10_000 });
    return { ok: true, line: `scope ${scope}: granted (${what})` };
  } catch (err) {
    if (err instanceof FeishuApiError && err.code === 99991672) {
      return { ok: false, line: `scope ${scope}: MISSING — grant it in the developer console (${what})` };
    }
    if (err instanceof FeishuApiError && !err.transient) {
      // Any other business answer (unknown id, bad parameter) proves the scope is there.
      return { ok: true, line: `scope ${scope}: granted (${what})` };
    }
    return { ok: false, line: `scope ${scope}: could not check (${err instanceof Error ? err.name : 'error'})` };
  }
}

/**
 * `npm run cli -- doctor`: configuration, the store, Feishu reachability and scopes,
 * in plain words. Exit 0 when everything is fine, 1 when something needs fixing,
 * 2 when the configuration is invalid.
 */
export async function runDoctor(opts: { url?: string } = {}): Promise<number> {
  const config = loadCommandConfig(process.stdout);
  if (!config) return 2;
  const findings: Finding[] = [{ ok: true, line: `config: valid (app ${config.feishu.appId}, ${config.feishu.baseUrl})` }];
  findings.push(securityFinding(config));
  const store = createStore(config.redisUrl);
  try {
    findings.push(await checkStore(config, store));
    const feishu = feishuClientFor(config, {
      store,
      logger: silentLogger,
      metrics: createMetrics(),
      retry: { maxRetries: 1 },
    });
    let tokenOk = false;
    try {
      await feishu.token.get();
      tokenOk = true;
      findings.push({ ok: true, line: `feishu: reached ${config.feishu.baseUrl} and obtained a tenant token` });
    } catch (err) {
      const detail = err instanceof FeishuApiError ? `code ${err.code}` : err instanceof Error ? err.name : 'error';
      findings.push({ ok: false, line: `feishu: could not obtain a tenant token (${detail}) — check FEISHU_APP_ID, FEISHU_APP_SECRET and FEISHU_BASE_URL` });
    }
    if (tokenOk) {
      const today = new Date().toISOString().slice(0, 10);
      for (const probe of PROBES.filter((p) => !p.onlyFor || p.onlyFor(config))) {
        findings.push(await probeScope(feishu.api, probe, today));
      }
    }
  } finally {
    await store.close();
  }
  if (opts.url !== undefined) findings.push(...(await checkWebhooks(config, opts.url)));
  for (const f of findings) process.stdout.write(`${f.ok ? 'ok  ' : 'FIX '} ${f.line}\n`);
  return findings.every((f) => f.ok) ? 0 : 1;
}

/** `npm run cli -- doctor`: exits 0 when everything configured works, 1 otherwise. */
export const doctorCommand = defineCommand({
  name: 'doctor',
  synopsis: 'doctor [--url https://your-host]',
  summary: 'check configuration, the store, Feishu credentials and scopes, and (with --url) that the webhooks answer, in plain words',
  options: {
    url: {
      type: 'string',
      valueName: 'BASE_URL',
      help: "the bot's public base URL; posts Feishu's signed URL check to /webhook/event and /webhook/card",
    },
  },
  run: ({ url }) => runDoctor({ url }),
});
