import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { apiPath } from '../../feishu/apis.js';

export const ContactUser = z.object({
  user: z
    .object({
      open_id: z.string().optional(),
      email: z.string().optional(),
      enterprise_email: z.string().optional(),
      /** The person's time zone as set in Feishu (an IANA name such as `Asia/Shanghai`); may be absent or empty. */
      time_zone: z.string().optional(),
    })
    .optional(),
});

/**
 * A person's work email from Feishu contact (enterprise email first, then email).
 * Undefined when contact has none. Never log the result.
 *
 * @example
 * await fetchWorkEmail(feishu, 'ou_1') // 'li.lei@example.com'
 */
export async function fetchWorkEmail(api: FeishuApi, openId: string): Promise<string | undefined> {
  const { user } = await fetchContactUser(api, openId);
  const email = user?.enterprise_email?.trim() || user?.email?.trim();
  return email || undefined;
}

/** One person's contact record (`contact.user` by open_id), zod-checked. */
async function fetchContactUser(api: FeishuApi, openId: string, maxWaitMs?: number): Promise<z.infer<typeof ContactUser>> {
  return api.call(
    'contact.user',
    {
      method: 'GET',
      url: apiPath('contact.user', { user_id: openId }),
      params: { user_id_type: 'open_id' },
    },
    ContactUser,
    maxWaitMs === undefined ? undefined : { maxWaitMs },
  );
}

/** Whether this runtime knows `zone` as a time zone (IANA name). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A person's time zone from Feishu contact (`user.time_zone`); undefined when contact has
 * none or one this runtime does not know.
 *
 * @example
 * await fetchTimeZone(feishu, 'ou_1', { maxWaitMs: 2000 }) // 'Europe/Berlin'
 */
export async function fetchTimeZone(api: FeishuApi, openId: string, opts: { maxWaitMs?: number } = {}): Promise<string | undefined> {
  const zone = (await fetchContactUser(api, openId, opts.maxWaitMs)).user?.time_zone?.trim();
  return zone && isKnownTimeZone(zone) ? zone : undefined;
}
