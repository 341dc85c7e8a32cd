import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { apiPath } from '../../feishu/apis.js';

export const ContactUser = z.object({
  user: z
    .object({
      open_id: z.string().optional(),
      email: z.string().optional(),
      enterprise_email: z.string().optional(),
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
  const data = await api.call(
    'contact.user',
    {
      method: 'GET',
      url: apiPath('contact.user', { user_id: openId }),
      params: { user_id_type: 'open_id' },
    },
    ContactUser,
  );
  const email = data.user?.enterprise_email?.trim() || data.user?.email?.trim();
  return email || undefined;
}
