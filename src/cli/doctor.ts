import { z } from 'zod';
import type { Config } from '../config.js';
import { apiPath, FEISHU_APIS } from '../feishu/apis.js';
import { feishuClientFor } from '../feishu/client.js';
import { FeishuApiError, type FeishuApi, type FeishuApiName, type FeishuRequest } from '../feishu/types.js';
import { buildAppManifest } from '../feishu/app-manifest.js';
import type { FeishuClient } from '../feishu/client.js';
import { redactedRedisUrl } from '../banner.js';
import { LONG_CONNECTION_APP_ID } from '../http/long-connection.js';
import { createMemoryStore } from '../store/memory.js';
import { ENCRYPT_KEY_FIX, tokenOnlyWeakness } from '../http/posture.js';
import { silentLogger } from '../log.js';
import { defineCommand, loadCommandConfig } from './command.js';
import { checkWebhooks } from './webhook-check.js';
import { createMetrics } from '../metrics.js';
import { createStore } from '../store/index.js';
import type { Store } from '../store/types.js';

/**
 * A check's verdict, printed as one plain line: `ok`, `warn` (worth knowing, nothing
 * broken) or `fix` (something configured does not work; the exit code becomes 1).
 */
interface Finding {
  level: 'ok' | 'warn' | 'fix';
  line: string;
}

const ok = (line: string): Finding => ({ level: 'ok', line });
const warn = (line: string): Finding => ({ level: 'warn', line });
const fix = (line: string): Finding => ({ level: 'fix', line });

/**
 * Answers meaning the tenant has no such product (not a scope matter): the CoreHR leave
 * and attendance leave APIs say "No tenant ID" (租户ID为空) for a tenant without Feishu
 * People (seeds 000 and 001). Seeds 002 (payroll) and 003 (compensation) document no such
 * code; their other answers are read as below.
 */
export const PRODUCT_NOT_ENABLED: ReadonlyMap<number, string> = new Map([
  [1160001, 'Feishu People (CoreHR) leave'],
  [1220001, 'Feishu People (CoreHR) attendance leave'],
]);

/** Feishu's generic codes (reference §6): the token is refused, or the scope is missing. */
const TOKEN_REFUSED = new Set([99991661, 99991663, 99991664, 99991665, 99991671]);
const MISSING_SCOPE = 99991672;

/** `bot.activate_status` of `bot/v3/info`; only 2 means the app is enabled in the tenant. */
const ACTIVATE_STATUS: Readonly<Record<number, string>> = {
  0: 'initialised, waiting for the tenant to install it',
  1: 'disabled by the tenant',
  2: 'enabled',
  3: 'installed, waiting to be enabled',
  4: 'upgraded, waiting to be enabled',
  5: 'disabled: licence expired',
  6: 'disabled: Lark plan expired or downgraded',
};

/**
 * One harmless call per HR API; a 99991672 answer means the scope is missing. Method,
 * path, scope and purpose come from the API catalogue; only the probe's arguments are here.
 */
interface ScopeProbe {
  api: FeishuApiName;
  req: (today: string) => Pick<FeishuRequest, 'params' | 'data'> & { pathParams?: Record<string, string> };
  onlyFor?: (config: Config) => boolean;
  /** What works without it (reference data): a failure is a warning, not something to fix. */
  optional?: string;
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
    api: 'corehr.currencies',
    req: () => ({ params: { page_size: 1 }, data: { currency_id_list: ['0'], status_list: [1, 0] } }),
    optional: 'one-time payment amounts are shown without a currency',
  },
  {
    api: 'compensation.items',
    req: () => ({ params: { page_size: 1 } }),
    optional: 'one-time payments are labelled generically instead of by pay item',
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

/** Why a call failed, in a few safe words: Feishu's code and message, or the error's kind. */
function cause(err: unknown): string {
  if (err instanceof FeishuApiError) {
    const msg = err.message.replace(/^[\w.]+ failed: /, '');
    if (err.code || err.httpStatus === undefined) return msg.slice(0, 160);
    return `HTTP ${err.httpStatus}`;
  }
  if (err instanceof Error) return ((err.cause as { code?: string } | undefined)?.code ?? err.name);
  return 'error';
}

/** Token-only webhook mode needs fixing; an Encrypt Key or the long connection is fine. */
function securityFinding(config: Config): Finding {
  const weakness = tokenOnlyWeakness(config);
  if (weakness) return fix(`security: weak — ${weakness}. Fix: ${ENCRYPT_KEY_FIX}`);
  if (config.feishu.eventMode === 'websocket') return ok('security: long connection (websocket mode); no webhook route is served');
  return ok('security: strong — every webhook request must carry a valid X-Lark-Signature (Encrypt Key set)');
}

async function checkStore(config: Config, store: Store): Promise<Finding> {
  if (!config.redisUrl) return warn('store: in memory — fine for one instance; set REDIS_URL for several instances and crash-safe work');
  const where = `Redis (${redactedRedisUrl(config.redisUrl)})`;
  try {
    await store.ping();
    return ok(`store: ${where} answers`);
  } catch {
    return fix(`store: ${where} does not answer — check REDIS_URL and that Redis is running`);
  }
}

/** The tenant token; a refusal names the credentials, anything else the network. */
async function checkToken(config: Config, feishu: FeishuClient): Promise<Finding> {
  try {
    await feishu.token.get();
    return ok(`feishu: reached ${config.feishu.baseUrl} and obtained a tenant token`);
  } catch (err) {
    if (err instanceof FeishuApiError && err.code !== 0) {
      return fix(`feishu: the app credentials were refused (code ${err.code}) — check FEISHU_APP_ID and FEISHU_APP_SECRET against the console's Credentials page`);
    }
    return fix(`feishu: could not reach ${config.feishu.baseUrl} for a tenant token (${cause(err)}) — check FEISHU_BASE_URL and the network`);
  }
}

const BotInfo = z.object({ bot: z.object({ activate_status: z.number().optional(), app_name: z.string().optional(), open_id: z.string().min(1) }) });

/** `bot/v3/info` answers only when the bot capability is on and the app is published. */
async function checkBot(feishu: FeishuApi): Promise<Finding> {
  try {
    const { bot } = await feishu.call('bot.info', { method: 'GET', url: apiPath('bot.info') }, BotInfo, { topLevel: true, maxWaitMs: 10_000 });
    const status = bot.activate_status;
    if (status !== undefined && status !== 2) {
      return fix(`bot: the app is ${ACTIVATE_STATUS[status] ?? `in state ${status}`} — an admin enables it in the Feishu admin console (Workplace → Apps)`);
    }
    return ok(`bot: capability on${bot.app_name ? ` ("${bot.app_name}")` : ''}, open_id ${bot.open_id}`);
  } catch (err) {
    if (err instanceof FeishuApiError && !err.transient) {
      return fix(`bot: capability not available (${cause(err)}) — enable the bot under Features → Bot in the developer console and publish a version`);
    }
    return fix(`bot: could not check (${cause(err)})`);
  }
}

const ScopeList = z.object({ scopes: z.array(z.object({ scope_name: z.string(), grant_status: z.number() })) });

/** True when Feishu's scope name is `wanted` (the list may leave out the namespace before the first `:`). */
function sameScope(listed: string, wanted: string): boolean {
  return listed === wanted || (listed.includes(':') && wanted.endsWith(`:${listed}`));
}

/**
 * The messaging scopes (`im:message…`, sending and receiving) from the documented grant
 * check `application/v6/scopes`, which needs no scope itself: granted, not granted by the
 * tenant, or not requested in the console.
 */
async function checkImScopes(feishu: FeishuApi): Promise<Finding[]> {
  const wanted = buildAppManifest().scopes.map((s) => s.scope).filter((s) => s.startsWith('im:'));
  let listed: z.output<typeof ScopeList>['scopes'];
  try {
    ({ scopes: listed } = await feishu.call('application.scopes', { method: 'GET', url: apiPath('application.scopes') }, ScopeList, { maxWaitMs: 10_000 }));
  } catch (err) {
    if (err instanceof FeishuApiError && err.code === 212100) {
      return [fix('scopes: the app is not installed in this tenant (code 212100) — publish a version and have an admin approve it')];
    }
    return [fix(`scopes: could not read the granted scopes (${cause(err)}); im:message scopes not checked`)];
  }
  return wanted.map((scope) => {
    const entry = listed.find((s) => sameScope(s.scope_name, scope));
    if (!entry) return fix(`scope ${scope}: MISSING — add it in the developer console (Permissions & Scopes) and publish a version`);
    if (entry.grant_status !== 1) return fix(`scope ${scope}: requested but not granted by the tenant — an admin approves the app version`);
    return ok(`scope ${scope}: granted`);
  });
}

async function probeScope(api: FeishuApi, probe: ScopeProbe, today: string): Promise<Finding> {
  const finding = await probeOnce(api, probe, today);
  // Reference data only makes cards read better: without it they still work.
  if (finding.level === 'fix' && probe.optional) return warn(`${finding.line}; until then ${probe.optional}`);
  return finding;
}

async function probeOnce(api: FeishuApi, probe: ScopeProbe, today: string): Promise<Finding> {
  const spec = FEISHU_APIS[probe.api];
  const scope = spec.scopes[0] ?? probe.api;
  const what = spec.purpose;
  try {
    await api.call(probe.api, probeRequest(probe, today), z.unknown(), { maxWaitMs: 10_000 });
    return ok(`scope ${scope}: granted (${what})`);
  } catch (err) {
    if (err instanceof FeishuApiError && err.code === MISSING_SCOPE) {
      return fix(`scope ${scope}: MISSING — grant it in the developer console (${what})`);
    }
    const product = err instanceof FeishuApiError ? PRODUCT_NOT_ENABLED.get(err.code) : undefined;
    if (product) {
      return fix(`product: ${product} is not enabled for this tenant (code ${(err as FeishuApiError).code}) — ${what} cannot work until the tenant has it; the scope is not the problem`);
    }
    if (err instanceof FeishuApiError && TOKEN_REFUSED.has(err.code)) {
      return fix(`scope ${scope}: could not check, the tenant token was refused (code ${err.code})`);
    }
    if (err instanceof FeishuApiError && !err.transient) {
      // Any other business answer (unknown id, bad parameter) proves the scope is there.
      return ok(`scope ${scope}: granted (${what})`);
    }
    return fix(`scope ${scope}: could not check (${cause(err)})`);
  }
}

/**
 * `npm run cli -- doctor`: configuration, the store, Feishu credentials, the bot
 * capability, scopes and products, and (with `url`) the webhooks, in plain words. Exit 0
 * when everything configured works (warnings allowed), 1 when something needs fixing,
 * 2 when the configuration is invalid.
 */
export async function runDoctor(opts: { url?: string } = {}): Promise<number> {
  const config = loadCommandConfig(process.stdout);
  if (!config) return 2;
  const findings: Finding[] = [ok(`config: valid (app ${config.feishu.appId}, ${config.feishu.baseUrl})`)];
  findings.push(securityFinding(config));
  if (config.feishu.eventMode === 'websocket' && !LONG_CONNECTION_APP_ID.test(config.feishu.appId)) {
    findings.push(fix('long connection: FEISHU_APP_ID is not cli_ followed by 16 hex characters; the SDK will not connect — copy the App ID from Credentials & Basic Info'));
  }
  const shared = createStore(config.redisUrl);
  // A store that does not answer must not hide the Feishu checks: they then use memory.
  let local: Store | undefined;
  try {
    const storeFinding = await checkStore(config, shared);
    findings.push(storeFinding);
    const store = storeFinding.level === 'fix' ? (local = createMemoryStore()) : shared;
    const feishu = feishuClientFor(config, { store, logger: silentLogger, metrics: createMetrics(), retry: { maxRetries: 1 } });
    const token = await checkToken(config, feishu);
    findings.push(token);
    if (token.level === 'ok') {
      findings.push(await checkBot(feishu.api));
      findings.push(...(await checkImScopes(feishu.api)));
      const today = new Date().toISOString().slice(0, 10);
      for (const probe of PROBES.filter((p) => !p.onlyFor || p.onlyFor(config))) {
        findings.push(await probeScope(feishu.api, probe, today));
      }
    }
  } finally {
    await shared.close();
    await local?.close();
  }
  if (opts.url !== undefined) {
    findings.push(...(await checkWebhooks(config, opts.url)).map((c) => (c.ok ? ok(c.line) : fix(c.line))));
  } else if (config.feishu.eventMode === 'webhook' && config.role !== 'worker') {
    findings.push(warn('webhook: not checked — pass --url <public base URL> to post Feishu\'s URL check to both webhook paths'));
  }
  const label = { ok: 'ok  ', warn: 'warn', fix: 'FIX ' } as const;
  for (const f of findings) process.stdout.write(`${label[f.level]} ${f.line}\n`);
  const broken = findings.filter((f) => f.level === 'fix').length;
  process.stdout.write(broken ? `${broken} problem${broken === 1 ? '' : 's'} to fix\n` : 'all good\n');
  return broken ? 1 : 0;
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
