import { FeishuApiError, RateLimitTimeoutError } from '../../feishu/types.js';
import type { Translate } from '../../i18n.js';

/**
 * Every business code the grant-record PATCH documents (seed 001). Each has its own
 * sentence under `accrual.errors.<code>` in both catalogues, so HR reads what went
 * wrong instead of a number.
 */
export const PATCH_ERROR_CODES = [
  1220001, 1220002, 1220003, 1220004, 1220005, 1220006, 1220007, 1220008, 1220009, 1220010, 1220011, 1220012,
  1220013, 1220014, 1220015, 1220016, 1220017, 1220018, 1220019, 1220020, 1220021, 1220022, 1220024, 1220025,
  1220026, 1220027, 1220028, 1220029, 1220030, 1220031, 1220032, 1220600, 1229999,
] as const;

const DOCUMENTED: ReadonlySet<number> = new Set(PATCH_ERROR_CODES);

/** The code to keep for a failed write: Feishu's business code, else 0 (no answer, limiter). */
export function writeErrorCode(err: unknown): number {
  if (err instanceof FeishuApiError) return err.code || err.httpStatus || 0;
  if (err instanceof RateLimitTimeoutError) return 0;
  return 0;
}

/**
 * A failed write in words, in the reader's language.
 *
 * @example writeErrorText(t, 1220031) // 'This grant record cannot be edited or deleted …'
 */
export function writeErrorText(t: Translate, code: number | undefined): string {
  if (code !== undefined && DOCUMENTED.has(code)) return t(`accrual.errors.${code}`);
  if (!code) return t('accrual.errors.noAnswer');
  return t('accrual.errors.other', { code });
}
