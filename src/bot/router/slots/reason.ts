/**
 * The free-text reason HR gives for an accrual edit ("原因：补录",
 * "reason: overtime in Feb"). Not scored, kept as written.
 */
const REASON = /(?:原因|理由|备注|reason|because(?:\s+of)?|due\s+to)\s*[:：]?\s*(.+)$/i;

/**
 * Where the reason starts and what it says; read from text that still has its case.
 *
 * @example extractReason('adjust … to 3 days, reason: overtime in Feb') // → 'overtime in Feb'
 */
export function extractReason(text: string): string | undefined {
  const m = REASON.exec(text);
  const reason = m?.[1]
    ?.replace(/^[\s:：\-–—]+/u, '')
    .replace(/[\s。.!！,，;；]+$/u, '');
  return reason ? reason : undefined;
}

/**
 * The message without its reason, so words inside a reason ("manager approved")
 * do not sway the intent.
 *
 * @example withoutReason('改成 2 天，原因：经理审批过了') // → '改成 2 天，'
 */
export function withoutReason(text: string): string {
  const m = REASON.exec(text);
  return m ? text.slice(0, m.index) : text;
}
