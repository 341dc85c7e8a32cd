/**
 * Accrual (leave grant) record ids: Feishu ids are exactly 19 digits.
 */
const RECORD_ID = /(?<!\d)\d{19}(?!\d)/;

/**
 * The record id in a message, as a string (it does not fit a JS number).
 *
 * @example extractRecordId('修改发放记录 7479528644154553216，数量改为 5 天') // → '7479528644154553216'
 */
export function extractRecordId(text: string): string | undefined {
  return RECORD_ID.exec(text)?.[0];
}
