import { z } from 'zod';

/** CoreHR's i18n entry (`lang`: `zh-CN`, `en-US`). */
export const LangText = z.object({ lang: z.string(), value: z.string() });

/** Payroll's i18n entry (`locale`: `zh_cn`, `en_us`). */
export const LocaleText = z.object({ locale: z.string(), value: z.string() });

/** Upper bound of pages we follow, so a misbehaving page_token can never loop forever. */
export const MAX_PAGES = 50;
