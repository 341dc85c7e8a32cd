/**
 * The one catalogue of Feishu APIs the bot calls: per API its method and path, the
 * published per-app limit and the scopes it needs. The limiter (`limits.ts`), the error
 * mapping (`services/errors.ts`) and `doctor` read it; callers build paths with `apiPath`.
 * Limits are the operating contract's (summed over every instance); where none is
 * published the entry says so and holds a conservative guess.
 */

/** A published limit: `max` calls per second or per minute. `bucket` names a budget shared by several APIs. */
export interface PublishedRate {
  max: number;
  per: 'second' | 'minute';
  bucket?: string;
}

export interface FeishuApiSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Path with `:name` placeholders, e.g. `/open-apis/im/v1/messages/:message_id`. */
  path: string;
  limits: readonly PublishedRate[];
  /** False when Feishu publishes no figure and `limits` is our conservative guess. */
  published: boolean;
  /** Scopes that unlock it, any one of them (the first is the one to grant). */
  scopes: readonly string[];
  /** What it serves, for `doctor` and logs. */
  purpose: string;
}

/** App-wide IM budget shared by message create and reply (1000/min & 50/s per app). */
const IM_SEND = 'im.send';
const perSecond = (max: number, bucket?: string): PublishedRate => ({ max, per: 'second', ...(bucket ? { bucket } : {}) });
const perMinute = (max: number, bucket?: string): PublishedRate => ({ max, per: 'minute', ...(bucket ? { bucket } : {}) });
const IM_SCOPES = ['im:message:send_as_bot'];

export const FEISHU_APIS = {
  'auth.tenantToken': {
    method: 'POST',
    path: '/open-apis/auth/v3/tenant_access_token/internal',
    // Not published as a QPS figure; token fetches are rare (≈ once per 2 h per app).
    limits: [perSecond(5), perMinute(100)],
    published: false,
    scopes: [],
    purpose: 'tenant access token',
  },
  'im.message.create': {
    method: 'POST',
    path: '/open-apis/im/v1/messages',
    limits: [perSecond(50, IM_SEND), perMinute(1000, IM_SEND)],
    published: true,
    scopes: IM_SCOPES,
    purpose: 'send a card to a person',
  },
  'im.message.reply': {
    method: 'POST',
    path: '/open-apis/im/v1/messages/:message_id/reply',
    limits: [perSecond(50, IM_SEND), perMinute(1000, IM_SEND)],
    published: true,
    scopes: IM_SCOPES,
    purpose: 'answer a message in place',
  },
  'im.message.patch': {
    method: 'PATCH',
    path: '/open-apis/im/v1/messages/:message_id',
    limits: [perSecond(50), perMinute(1000)],
    published: true,
    scopes: IM_SCOPES,
    purpose: 'update a card the bot sent',
  },
  'interactive.card.update': {
    method: 'POST',
    path: '/open-apis/interactive/v1/card/update',
    limits: [perSecond(50), perMinute(1000)],
    published: true,
    scopes: [],
    purpose: 'delayed update of a clicked card',
  },
  'corehr.leaveBalances': {
    method: 'GET',
    path: '/open-apis/corehr/v1/leaves/leave_balances',
    limits: [perMinute(100)],
    published: true,
    // Seed 000: any one of these.
    scopes: ['corehr:leave:read', 'corehr:corehr:readonly', 'corehr:corehr'],
    purpose: 'leave balances',
  },
  'corehr.leaveTypes': {
    method: 'GET',
    path: '/open-apis/corehr/v1/leaves/leave_types',
    limits: [perMinute(100)],
    published: true,
    scopes: ['corehr:leave:read', 'corehr:corehr:readonly'],
    purpose: 'leave types and balances',
  },
  'corehr.idConvert': {
    method: 'POST',
    path: '/open-apis/corehr/v1/common_data/id/convert',
    limits: [perSecond(50), perMinute(1000)],
    published: true,
    scopes: ['corehr:common_data.id.convert:read'],
    purpose: 'open_id → CoreHR employment id (payslips)',
  },
  'attendance.expireRecords': {
    method: 'GET',
    path: '/open-apis/attendance/v1/leave_employ_expire_records/:leave_id',
    limits: [perSecond(50)],
    published: true,
    // Not in the seeds; the API page names the scope.
    scopes: [],
    purpose: 'leave grant records',
  },
  'attendance.accrualPatch': {
    method: 'PATCH',
    path: '/open-apis/attendance/v1/leave_accrual_record/:leave_id',
    limits: [perSecond(50)],
    published: true,
    // Seed 001.
    scopes: ['attendance:rule'],
    purpose: 'edit a leave grant record',
  },
  'payroll.paymentDetail': {
    method: 'POST',
    path: '/open-apis/payroll/v1/payment_detail/query',
    limits: [perSecond(1)],
    published: true,
    scopes: ['payroll:payment_details:read'],
    purpose: 'payslips',
  },
  'compensation.lumpSum': {
    method: 'POST',
    path: '/open-apis/compensation/v1/lump_sum_payment/query',
    limits: [perSecond(10)],
    published: true,
    scopes: ['corehr:compensation.lump_sum_payment:read'],
    purpose: 'one-time payments',
  },
  'corehr.currencies': {
    method: 'POST',
    path: '/open-apis/corehr/v2/basic_info/currencies/search',
    // Not in the seeds: Feishu's page "查询货币信息" (corehr-v2/basic_info-currency/search)
    // publishes 1000/min & 50/s and this one scope. Reference data, cached a day.
    limits: [perSecond(50), perMinute(1000)],
    published: true,
    scopes: ['corehr:common_data.basic_data:read'],
    purpose: 'currency codes of one-time payments (amounts shown without one when missing)',
  },
  'compensation.items': {
    method: 'GET',
    path: '/open-apis/compensation/v1/items',
    // Not in the seeds: Feishu's page "批量查询薪资项" (compensation-v1/item/list), the list
    // seed 003 points to for `item_id`, publishes 10/s and this one scope. Cached a day.
    limits: [perSecond(10)],
    published: true,
    scopes: ['corehr:compensation_item:read'],
    purpose: 'pay item names of one-time payments (a generic label when missing)',
  },
  'contact.user': {
    method: 'GET',
    path: '/open-apis/contact/v3/users/:user_id',
    // We assume the common contact tier, 1000/min & 50/s (conservative default; the
    // batch variant, contact/v3/users/batch, publishes exactly that).
    limits: [perSecond(50), perMinute(1000)],
    published: false,
    scopes: ['contact:user.email:readonly'],
    // `user.time_zone` (the SDK's typed answer of contact.v3.user.get) names the person's zone.
    purpose: "employee emails for CompanyFlow; reminder replies read the person's time zone from the same answer when it has one",
  },
  'bot.info': {
    method: 'GET',
    path: '/open-apis/bot/v3/info',
    // Unpublished; asked once a day per app at most.
    limits: [perSecond(5), perMinute(100)],
    published: false,
    scopes: [],
    purpose: "the bot's own open_id (group mentions)",
  },
  'application.scopes': {
    method: 'GET',
    path: '/open-apis/application/v6/scopes',
    // "Special" frequency control, no figure published; doctor asks once per run.
    limits: [perSecond(5), perMinute(100)],
    published: false,
    scopes: [],
    purpose: 'which scopes the tenant has granted the app (doctor)',
  },
} as const satisfies Record<string, FeishuApiSpec>;

/** Every Feishu API the bot calls, by name; the limiter, metrics and error mapping key on these. */
export type FeishuApiName = keyof typeof FEISHU_APIS;

/** The per-receiver rule (5/s towards one user or one chat) and the per-message card PATCH rule (5/s). */
export const PER_RECEIVER: readonly PublishedRate[] = [perSecond(5)];
export const PER_MESSAGE: readonly PublishedRate[] = [perSecond(5)];

/**
 * The API's path with its placeholders filled (each value URL-encoded).
 *
 * @example
 * apiPath('im.message.reply', { message_id: 'om_1' }) // '/open-apis/im/v1/messages/om_1/reply'
 */
export function apiPath(api: FeishuApiName, params: Record<string, string> = {}): string {
  return FEISHU_APIS[api].path
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part;
      const value = params[part.slice(1)];
      if (value === undefined) throw new Error(`${api}: missing path parameter ${part}`);
      return encodeURIComponent(value);
    })
    .join('/');
}

/**
 * The scopes to grant for an API, in words for logs and `doctor`.
 *
 * @example
 * scopeHint('corehr.leaveTypes') // 'corehr:leave:read (or corehr:corehr:readonly)'
 */
export function scopeHint(api: FeishuApiName): string | undefined {
  const [first, ...rest] = FEISHU_APIS[api].scopes;
  if (!first) return undefined;
  return rest.length ? `${first} (or ${rest.join(', or ')})` : first;
}
