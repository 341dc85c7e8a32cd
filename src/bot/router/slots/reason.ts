/**
 * The free-text reason HR gives for an accrual edit ("原因：补录",
 * "reason: overtime in Feb"). Not scored, kept as written.
 */
// Only the keyword is a regex; the rest of the message is sliced off, so no quantifier meets another.
const REASON = /原因|理由|备注|reason|because(?:\s+of)?|due\s+to/i;
const LEADING = new Set([...' \t\n:：-–—']);
const TRAILING = new Set([...' \t\n。.!！,，;；']);

/** The text without the given characters at its start and its end, trimmed without a regex. */
function trimChars(text: string, leading: ReadonlySet<string>, trailing: ReadonlySet<string>): string {
  let start = 0;
  let end = text.length;
  while (start < end && leading.has(text.charAt(start))) start++;
  while (end > start && trailing.has(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

/**
 * Where the reason starts and what it says; read from text that still has its case.
 *
 * @example extractReason('adjust … to 3 days, reason: overtime in Feb') // → 'overtime in Feb'
 */
export function extractReason(text: string): string | undefined {
  const m = REASON.exec(text);
  if (!m) return undefined;
  const reason = trimChars(text.slice(m.index + m[0].length), LEADING, TRAILING);
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
