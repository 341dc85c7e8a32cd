import { z } from 'zod';
import type { FeishuApi } from '../../feishu/types.js';
import { apiPath } from '../../feishu/apis.js';

export const IdConvertResult = z.object({
  items: z
    .array(z.object({ id: z.string().optional(), target_id: z.string().optional() }))
    .optional()
    .default([]),
});

/**
 * open_id → CoreHR employment id (`id_transform_type=2`: Feishu contact → CoreHR).
 * Resolves undefined when the person has no CoreHR record.
 *
 * @example
 * await convertOpenIdToEmploymentId(feishu, 'ou_1') // '7202076988667019222'
 */
export async function convertOpenIdToEmploymentId(api: FeishuApi, openId: string): Promise<string | undefined> {
  const data = await api.call(
    'corehr.idConvert',
    {
      method: 'POST',
      url: apiPath('corehr.idConvert'),
      params: { id_transform_type: 2, id_type: 'user_id', feishu_user_id_type: 'open_id' },
      data: { ids: [openId] },
    },
    IdConvertResult,
  );
  const match = data.items.find((item) => item.id === openId && item.target_id);
  return match?.target_id;
}
