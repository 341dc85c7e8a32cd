/**
 * Every store key the bot uses is built here, namespaced by app id so that two bots
 * can share one Redis. No other file concatenates key strings.
 *
 * @example
 * const keys = storeKeys('cli_a1b2')
 * await store.setIfAbsent(keys.eventDedupe('om_123'), 'processing', 60_000)
 */
export function storeKeys(appId: string) {
  const ns = `hrbot:${appId}`;
  return {
    /** Shared tenant_access_token. */
    tenantToken: () => `${ns}:token:tenant`,
    /** Lock so that only one instance fetches a new token at a time. */
    tenantTokenLock: () => `${ns}:token:tenant:lock`,
    /** Dedupe / in-flight marker of one delivery, by message_id or event_id. */
    eventDedupe: (id: string) => `${ns}:dedupe:${id}`,
    /** Limiter bucket of one rule (api name, receiver, message…). */
    rateBucket: (rule: string) => `${ns}:rl:${rule}`,
    /** The open_id a message carrying HR data was sent to, by message id (checked before any update). */
    sentTo: (messageId: string) => `${ns}:sent:${messageId}:owner`,
    /** The bot's own open_id (to tell mentions of the bot from mentions of others). */
    botOpenId: () => `${ns}:bot:open_id`,
    /** A person's chosen reply language. */
    userLocale: (openId: string) => `${ns}:user:${openId}:locale`,
    /** A person was greeted on their first visit to the bot's chat (value: the event id that greeted them). */
    welcomed: (openId: string) => `${ns}:user:${openId}:welcomed`,
    /** open_id → CoreHR employment id (not pay data; safe to cache). */
    employmentId: (openId: string) => `${ns}:user:${openId}:employment`,
    /** Tenant's leave types (names in every language). */
    leaveTypes: () => `${ns}:cache:leave_types`,
    /** Currency id → ISO 4217 code (reference data, never pay data). */
    currency: (currencyId: string) => `${ns}:cache:currency:${currencyId}`,
    /** The tenant's compensation pay items: id → names (reference data, never pay data). */
    payItems: () => `${ns}:cache:pay_items`,
    /** A reference look-up Feishu refused (e.g. scope missing), by look-up: not asked again for a while (value: the code). */
    referenceRefused: (lookup: string) => `${ns}:cache:refused:${lookup}`,
    /** open_id → work email, for CompanyFlow. */
    userEmail: (openId: string) => `${ns}:user:${openId}:email`,
    /** CompanyFlow employee-scoped token, by employee email hash. */
    companyflowToken: (subjectHash: string) => `${ns}:cf:token:${subjectHash}`,
    /** Reminder subscribers (set of open_ids). */
    reminderSubscribers: () => `${ns}:reminders:subscribers`,
    /** Reminder opt-outs (set of open_ids). */
    reminderOptOuts: () => `${ns}:reminders:optouts`,
    /** A person was sent this period's balance reminder (value: the pass id). */
    reminded: (period: string, openId: string) => `${ns}:reminders:sent:${period}:${openId}`,
    /** A person's reminder failed for good in a pass (value: the error code); the pass reads it to settle. */
    reminderFailed: (passId: string, openId: string) => `${ns}:reminders:failed:${passId}:${openId}`,
    /** The one reminder pass running across all instances (value: its pass id). */
    reminderPassLock: () => `${ns}:reminders:pass:lock`,
    /** One accrual-edit request (JSON with status and version; moved only by compare-and-set). */
    accrualEdit: (id: string) => `${ns}:accrual:${id}`,
    /** The approval cards of a request: set of `openId messageId`. */
    accrualEditCards: (id: string) => `${ns}:accrual:${id}:cards`,
    /** Marks that a request's approvers were nudged (once). */
    accrualEditNudged: (id: string) => `${ns}:accrual:${id}:nudged`,
    /** The accrual-edit audit log (time-ordered, kept ≥ 400 days). */
    accrualAudit: () => `${ns}:audit:accrual`,
    /** Card callbacks already answered (replayed clicks are dropped). */
    cardAction: (id: string) => `${ns}:card:${id}`,
  };
}

export type StoreKeys = ReturnType<typeof storeKeys>;
