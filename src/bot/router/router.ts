/**
 * The intent router: one chat message in, one intent with normalised slots out
 * (the contract is ../shared/intents/README.md). Pure and synchronous: no
 * network, so it can run on every message and in tests.
 *
 * Two layers vote. The rules (lexicon, typo and homophone tolerance, scoring) read the
 * concepts and fill the slots; a linear classifier (model/, trained from the team corpus)
 * reads character and word n-grams together with the rules' scores and picks the intent
 * with a calibrated probability. The rules keep the last word where they are precise: a
 * complete accrual edit (record id and edit verb), slots, and a strong out-of-scope signal
 * the model is not sure enough to overrule. When the two best intents are close, the
 * result carries both as `alternatives` so the bot can ask instead of guessing.
 */
import { localDate, type CalendarDate } from './calendar.js';
import { canonicalize, detectConcepts, type Features } from './features.js';
import { cleanText, foldText } from './normalize.js';
import artefact from './data/intent-model.json' with { type: 'json' };
import { loadIntentModel, type IntentModel } from './model/classifier.js';
import type { RuleView } from './model/features.js';
import { pickIntent, ruleScores, STRONG_OUT, THRESHOLD } from './scoring.js';
import { extractAsOf, extractExpirationDate } from './slots/date.js';
import { applyTenantLeaveTypes, extractLeaveType } from './slots/leave-type.js';
import { extractLocale } from './slots/locale.js';
import { extractMonth } from './slots/month.js';
import { monthOfName } from './slots/numerals.js';
import { extractQuantity, mentionsQuantity } from './slots/quantity.js';
import { extractReason, withoutReason } from './slots/reason.js';
import { extractRecordId } from './slots/record.js';
import { extractYear } from './slots/year.js';
import type { Concept } from './lexicon.js';
import type { IntentName, RouteOptions, RouteResult, Slots } from './types.js';

export type { IntentName, LeaveTypeCode, Locale, RouteAlternative, RouteOptions, RouteResult, Slots, TenantLeaveType } from './types.js';
export { SLOTS_BY_INTENT } from './types.js';
export { THRESHOLD } from './scoring.js';

/**
 * Longer messages are not requests to an HR bot; they are routed to `unknown` without
 * being matched, which bounds the work per message. The cap holds for the text as
 * matched, i.e. after NFKC, which can expand a character up to 18-fold ("﷽"); the raw
 * text is checked first so that normalising a 150 KB message is never attempted.
 */
export const MAX_ROUTED_CHARS = 4000;

/** The cleaned text when both the raw and the normalised text fit the cap. */
function cappedClean(text: string): string | undefined {
  if (text.length > MAX_ROUTED_CHARS) return undefined;
  const cleaned = cleanText(text);
  return cleaned.length > MAX_ROUTED_CHARS ? undefined : cleaned;
}

function slotsFor(intent: IntentName, f: Features, cleaned: string, today: CalendarDate): Slots | undefined {
  const t = f.text;
  switch (intent) {
    case 'leave.balance': {
      const leaveType = extractLeaveType(t);
      const asOf = extractAsOf(t, today);
      return { ...(leaveType && { leaveType }), ...(asOf && { asOf }) };
    }
    case 'payslip': {
      const month = extractMonth(t, today);
      return month ? { month } : {};
    }
    case 'lump_sum': {
      const year = extractYear(t, today);
      return year !== undefined ? { year } : {};
    }
    case 'accrual.edit': {
      const recordId = extractRecordId(t);
      return recordId ? { recordId, ...editValues(f, cleaned, today) } : undefined;
    }
    case 'language.set': {
      const locale = extractLocale(t);
      return locale ? { locale } : undefined;
    }
    default:
      return {};
  }
}

/** The new quantity, expiry and reason an edit gives (each left out when not given). */
function editValues(f: Features, cleaned: string, today: CalendarDate): Slots {
  const quantity = extractQuantity(f.text);
  const expirationDate = extractExpirationDate(f.text, today);
  const reason = extractReason(cleaned);
  return { ...(quantity && { quantity }), ...(expirationDate && { expirationDate }), ...(reason && { reason }) };
}

// Whose record: "@_user_1 的", "@_user_1's", "for @_user_1", "of @_user_1" (the mention is
// someone the requester names; the bot's own mention in a group is not followed by these).
const MENTIONED_OWNER = /@_user_\d{1,3}(?:\s?的|['’]s\b)|\b(?:for|of) @_user_\d{1,3}/;
// A question about a grant ("was it changed?", "为什么减少了") is not a proposal to change it.
const QUESTION = /[?？吗呢]|为什么|为何|怎么|\b(?:why|how|was|were|did)\b/;

/**
 * A proposal to edit someone's grant record that names no record id: a grant-record word
 * ("发放记录", "grant") with an edit verb ("调整", "adjust"), and either whose record it is
 * (a mentioned person's) or the new quantity or expiry — not a question, not an ask for
 * what is left (balance words), not an out-of-scope topic. An employee asking about their
 * own leave ("我还有几天年假", "my annual leave grant this year") never matches.
 */
function isIncompleteEdit(raw: string, f: Features, today: CalendarDate): boolean {
  const has = (c: Concept) => f.concepts.has(c);
  if (!has('accrual') || !has('edit') || has('balance') || has('balanceWeak') || has('oos') || has('holiday') || has('apply')) return false;
  if (QUESTION.test(raw)) return false;
  return MENTIONED_OWNER.test(raw) || mentionsQuantity(f.text) || extractExpirationDate(f.text, today) !== undefined;
}

// Someone else's data: a mentioned person's ("@_user_2的假期余额", "@_user_2's payslip") or a
// Latin name's ("查下Tom的sick leave余额", "can I see Lisa's payslip"). Read on the raw text (the
// mention is gone after cleaning) and on the cleaned text with its case.
const LATIN_OWNER = /(?<![A-Za-z'’])([A-Z][a-z]{1,14})(?:\s?的|['’]s\b)/g;
// Capitalised words that are not people ("What's", "Today's", "June的").
const NOT_A_NAME = new Set(
  ('what that it there here who where how today tomorrow yesterday year month week company everyone everybody ' +
    'my this next last monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun ' +
    'new christmas mother father valentine china hr').split(' '),
);
// Other people by role or pronoun ("我下属的AL", "他们工资多少", "my teammate's PTO"), or compared with the asker.
const OTHER_PEOPLE =
  /(?<![其吉])(?:[他她]们?|下属|组员|队友|手下|新人|新来的)的|(?<![其吉])[他她]们?(?=工资|薪资|薪水|奖金|年假|病假|调休|假期)|小[王李张刘赵陈杨黄吴周](?:的|拿|还有|还剩)|比我[高多少低]|\b(?:teammates?|coworkers?|co-workers?|colleagues?|team\s+members?|direct\s+reports?|subordinates?)\b|\b(?:his|her|their)\s+(?:leave|pto|vacation|payslips?|pay|salary|bonus|balance)\b/;
/** Served intents that read the asker's own records: asked about someone else, they are out of scope. */
const OWN_DATA: ReadonlySet<IntentName> = new Set(['leave.balance', 'payslip', 'lump_sum']);

/** True when the message asks about another person's records rather than the asker's. */
function asksAboutOther(raw: string, cleaned: string): boolean {
  if (MENTIONED_OWNER.test(raw) || OTHER_PEOPLE.test(cleaned.toLowerCase())) return true;
  for (const m of cleaned.matchAll(LATIN_OWNER)) {
    const word = (m[1] ?? '').toLowerCase();
    // A lexicon word ("Payslip的", "Vacation's"), or a typo of one ("Paysilp的"), is a topic, not a person.
    if (!NOT_A_NAME.has(word) && monthOfName(word) === undefined && canonicalize(word).text === word && detectConcepts(word).concepts.size === 0) return true;
  }
  return false;
}

// "婚假 in English?", "what is 调休 in English": how a Chinese word is said, not a language switch.
const TRANSLATE_HAN = /^(?:what(?:['’]?s|\s+is)\s+)?\p{Script=Han}{1,8}\s*(?:in|用)\s*(?:english|英文|英语)\s*[?？]*$/u;

const BARE_HELP = /^(?:[?？]+|\/?start|开始|\/help)$/i;

let shipped: IntentModel | undefined;

/** The model shipped in data/intent-model.json, built on first use (a few milliseconds). */
export function shippedModel(): IntentModel {
  shipped ??= loadIntentModel(artefact);
  return shipped;
}

/** How the rules read a message: what both layers start from. */
interface Reading {
  cleaned: string;
  view: RuleView;
  features: Features;
  today: CalendarDate;
}

function read(text: string, opts: RouteOptions): Reading | undefined {
  const cleaned = cappedClean(text);
  if (cleaned === undefined) return undefined;
  let normalized = foldText(cleaned);
  if (opts.leaveTypes?.length) normalized = applyTenantLeaveTypes(normalized, opts.leaveTypes);
  // A reason is free text ("manager approved"): it must not vote on the intent.
  const f = detectConcepts(withoutReason(normalized));
  const today = localDate(opts.now, opts.timeZone);
  const hasRecordId = extractRecordId(f.text) !== undefined;
  const rules = ruleScores(f, {
    hasRecordId,
    hasEditValues: () => mentionsQuantity(f.text) || extractExpirationDate(f.text, today) !== undefined,
    hasMonth: () => extractMonth(f.text, today) !== undefined,
  });
  return { cleaned, features: f, today, view: { text: f.text, tokens: f.tokens, concepts: f.concepts, rules, hasRecordId } };
}

/**
 * What the statistical layer is trained on: the rules' reading of a message, or undefined
 * for a message over the length cap.
 */
export function ruleViewOf(text: string, opts: RouteOptions): RuleView | undefined {
  return read(text, opts)?.view;
}

/** A record id with an edit word or with a new quantity or expiry date. */
function asksToEdit(r: Reading): boolean {
  const t = r.features.text;
  if (!r.view.hasRecordId) return false;
  return r.features.concepts.has('edit') || mentionsQuantity(t) || extractExpirationDate(t, r.today) !== undefined;
}

/** Below this the model is unsure, and a rule answer it ranks first or second stands. */
const MODEL_SURE = 0.6;

/** The model may overrule a strong out-of-scope signal of the rules only when at least this sure. */
const OVERRULE_OUT_OF_SCOPE = 0.7;

/**
 * Routes one message to an intent with the slots that intent takes.
 *
 * @example
 * routeIntent('1月工资条', { now: new Date('2025-03-15T04:00:00Z'), timeZone: 'Asia/Shanghai' })
 * // → { intent: 'payslip', slots: { month: '2025-01' }, confidence: 0.97 }
 */
export function routeIntent(text: string, opts: RouteOptions): RouteResult {
  const r = read(text, opts);
  if (!r) return { intent: 'unknown', slots: {}, confidence: 0 };
  if (TRANSLATE_HAN.test(r.features.text)) return { intent: 'unknown', slots: {}, confidence: 0.9 };
  // A bare "?" or "start" (a chat's first message) asks what the bot does.
  if (BARE_HELP.test(r.cleaned)) return { intent: 'help', slots: {}, confidence: 0.9 };
  const routed = routeRead(text, r, opts);
  // The bot serves the asker's own records only: a question about another person's is out of scope.
  if (OWN_DATA.has(routed.intent) && asksAboutOther(text, r.cleaned)) return { intent: 'unknown', slots: {}, confidence: 0.9 };
  return routed;
}

function routeRead(text: string, r: Reading, opts: RouteOptions): RouteResult {
  // The HR flow also takes an edit without a record id: its form asks for the record.
  if (opts.incompleteEdits && !r.view.hasRecordId && isIncompleteEdit(text, r.features, r.today)) {
    return { intent: 'accrual.edit', slots: editValues(r.features, r.cleaned, r.today), confidence: 0.8 };
  }
  const rule = pickIntent(r.view.rules);
  const model = opts.model === undefined ? shippedModel() : opts.model;
  const slotsOf = (intent: IntentName): Slots | undefined => slotsFor(intent, r.features, r.cleaned, r.today);
  // Rules alone (the model switched off), and the rules' precise case: a record id with an edit verb.
  if (!model || rule.intent === 'accrual.edit') {
    const slots = slotsOf(rule.intent);
    return slots ? { intent: rule.intent, slots, confidence: rule.confidence } : { intent: 'unknown', slots: {}, confidence: rule.confidence };
  }
  // The model's ranking over the intents the message can fill (probabilities renormalised over
  // them, see below): an accrual edit needs a record id and an edit word or new values (a bare record id is
  // a lookup), a language change a locale.
  const ranked: Array<{ intent: IntentName; p: number }> = [];
  let excluded = 0;
  for (const s of model.predict(r.view)) {
    if ((s.intent === 'accrual.edit' && !asksToEdit(r)) || (s.intent === 'language.set' && !extractLocale(r.features.text))) excluded += s.p;
    else ranked.push(s);
  }
  // When most of the mass went to intents the message cannot fill, what is left is noise: it is
  // scaled up at most twofold.
  const feasible = Math.max(1 - excluded, 0.5);
  const [top, next] = ranked.map((s) => ({ intent: s.intent, p: s.p / feasible }));
  if (!top) return { intent: 'unknown', slots: {}, confidence: 0 };
  // Two served intents close together, and likely between them: the bot asks which one.
  const close = top.intent !== 'unknown' && next && next.intent !== 'unknown' && top.p - next.p < model.askMargin && top.p + next.p >= THRESHOLD;
  const withAlternatives = (result: RouteResult): RouteResult => {
    if (!close) return result;
    const a = slotsOf(top.intent);
    const b = slotsOf(next.intent);
    return a && b ? { ...result, alternatives: [{ intent: top.intent, slots: a }, { intent: next.intent, slots: b }] } : result;
  };
  // The model unsure: the rules' answer stands when the model has it among its best two.
  if (top.p < MODEL_SURE && rule.intent !== 'unknown' && (top.intent === rule.intent || next?.intent === rule.intent)) {
    const slots = slotsOf(rule.intent);
    if (slots) return withAlternatives({ intent: rule.intent, slots, confidence: rule.confidence });
  }
  const slots = top.intent !== 'unknown' ? slotsOf(top.intent) : undefined;
  if (!slots) return { intent: 'unknown', slots: {}, confidence: top.p };
  if (r.view.rules.oos >= STRONG_OUT && top.p < OVERRULE_OUT_OF_SCOPE) return { intent: 'unknown', slots: {}, confidence: 1 - top.p };
  // Answer the better one only when it is likely on its own.
  return withAlternatives(top.p >= THRESHOLD ? { intent: top.intent, slots, confidence: top.p } : { intent: 'unknown', slots: {}, confidence: 1 - top.p });
}

/** Which topics point at which answer, for "did you mean…" when nothing was asked clearly. */
const TOPIC_INTENTS: ReadonlyArray<readonly [readonly Concept[], IntentName]> = [
  [['lumpSum'], 'lump_sum'],
  [['payslip', 'payWeak', 'payItem'], 'payslip'],
  [['leave', 'leaveWeak', 'balance'], 'leave.balance'],
  [['remind'], 'reminder.subscribe'],
];

/**
 * The intents whose topics a message touches, read with the router's own lexicon (typos
 * and both languages included) — the closest answers for a message routed to `unknown`.
 *
 * @example
 * relatedIntents('how do I claim tax on my bonus') // → ['lump_sum', 'payslip']
 */
export function relatedIntents(text: string): IntentName[] {
  const cleaned = cappedClean(text);
  if (cleaned === undefined) return [];
  const { concepts } = detectConcepts(foldText(cleaned));
  return TOPIC_INTENTS.filter(([topics]) => topics.some((c) => concepts.has(c))).map(([, intent]) => intent);
}
