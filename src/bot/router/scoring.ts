/**
 * Scores each intent from the concepts a message mentions and picks one. The
 * weights encode one idea each: a topic word alone is a guess, a topic word
 * with a question or an action word is an answer, and an out-of-scope topic
 * (applying for leave, holidays, expenses, IT…) outranks a mere mention of
 * leave or pay.
 */
import type { Concept } from './lexicon.js';
import type { Features } from './features.js';
import type { IntentName } from './types.js';

/** Below this the router answers `unknown`. */
export const THRESHOLD = 0.5;
// Out of scope beats every served intent but a complete accrual edit (1.0).
export const STRONG_OUT = 0.95;
const OUT = STRONG_OUT;
// A word like "holiday" or "team" beats a bare mention of leave, not a real question.
const WEAK_OUT = 0.7;

/** What the slot extractors found that also bears on the intent. */
export interface Signals {
  hasRecordId: boolean;
  /** Only asked for when there is a record id: quantity or expiry present. */
  hasEditValues: () => boolean;
  /** Whether the message names a month ("上个月", "Jan"): deductions of a month are a payslip. */
  hasMonth: () => boolean;
}

// "请明天一天年假", "请两天病假", "请个假": asking for leave, not about it. Read by a scanner, not one
// regex: after "请" at most a few time words, each taken greedily once (sticky, no repetition around
// an alternation), then the leave noun — linear whatever the text ("请" + "下周的" × 1000).
const ASK_STEP =
  /明天|后天|今天|下周[一二三四五六日天末]?|下个?月|周[一二三四五六日天末]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|\d{1,2}号|[\d.一两二三四五六七八九十半]{1,4}个?(?:天|小时)|[个的\s]/y;
const ASK_NOUN = /(?:[年病事婚产丧]|调休|育儿|陪产|带薪)?假/y;
const MAX_ASK_STEPS = 6;

function asksForLeaveZh(text: string): boolean {
  for (let at = text.indexOf('请'); at >= 0; at = text.indexOf('请', at + 1)) {
    let pos = at + 1;
    for (let step = 0; step < MAX_ASK_STEPS; step++) {
      ASK_STEP.lastIndex = pos;
      if (!ASK_STEP.test(text)) break;
      pos = ASK_STEP.lastIndex;
    }
    ASK_NOUN.lastIndex = pos;
    if (ASK_NOUN.test(text)) return true;
  }
  return false;
}

const TAKE_DAYS_ZH = /休(?:\d+|[一两二三四五六七八九十半]+)个?天/;
const WANT_LEAVE_ZH = /(?:我要|我想|想要|打算|准备)(?:调休|休)/;

function outOfScope(has: (c: Concept) => boolean, text: string, signals: Signals): number {
  // Another topic outright: applying for leave, expenses, IT, approvers…
  if (has('oos')) return OUT;
  // Asking how much of a named leave is left, with plans or a holiday around it ("年假还有几天，想五一
  // 前后连着休", "how much PTO do I have left before Christmas"): the plans are context.
  const asksLeft = has('leave') && (has('balance') || has('balanceWeak'));
  // Public holidays, travel and the list of leave types, unless they are the context of such a question.
  if ((has('holiday') || has('context')) && !asksLeft) return OUT;
  // "Why…" asks HR for an explanation, except about a month's pay ("2月工资为啥少了" wants that payslip).
  const aboutPay = has('payslip') || has('payWeak') || has('payItem');
  if (has('why') && !(aboutPay && signals.hasMonth())) return OUT;
  // Asking outright what is left of a named leave ("可能还要请两天，先看看病假还剩多少"): plans to apply are context.
  const asksWhatIsLeft = has('leave') && has('balance');
  // "I need my payslip for a visa application": an application that needs a payslip is not a leave request.
  if (has('apply') && !has('payslip') && !asksWhatIsLeft) return OUT;
  // Tax and social insurance are payslip lines; on their own they are questions for HR,
  // but "what was deducted last month" asks for that month's payslip.
  if (has('payItem') && !has('payslip') && !signals.hasMonth()) return OUT;
  if ((asksForLeaveZh(text) || TAKE_DAYS_ZH.test(text) || WANT_LEAVE_ZH.test(text)) && !asksWhatIsLeft) return OUT;
  const aboutLeave = has('leave') || has('leaveWeak');
  const asksHowMuch = has('balance') || has('balanceWeak');
  // Acting on leave rather than asking about it: "cancel my leave", "I'd like to take Friday off",
  // "book 3 days of vacation", "明天调休". Pay and reminders have their own verbs
  // ("I want to request my payslip"), so they are spared.
  const otherTopic = has('payslip') || has('payWeak') || has('lumpSum') || has('remind');
  if (has('cancel') && !has('remind') && (aboutLeave || has('take'))) return OUT;
  if (has('take') && !otherTopic && (has('want') || has('future')) && !asksLeft) return OUT;
  if ((has('take') || has('future')) && aboutLeave && !asksHowMuch) return OUT;
  // "what is PTO" asks for a definition, not for my balance.
  if (has('define') && aboutLeave && !has('mine') && !asksHowMuch) return OUT;
  return has('oosWeak') ? WEAK_OUT : 0;
}

function leaveBalance(has: (c: Concept) => boolean, residue: number): number {
  const asks = has('balance') || has('balanceWeak');
  if (has('leave')) {
    if (asks) return 0.9;
    if (has('query') || has('mine')) return 0.8;
    return residue <= 3 ? 0.7 : 0.45;
  }
  if (has('leaveWeak')) return asks ? 0.8 : 0.3;
  return has('balance') ? 0.7 : 0;
}

function payslip(has: (c: Concept) => boolean, signals: Signals): number {
  if (has('payslip')) return 0.9;
  if (has('payItem') && signals.hasMonth()) return 0.85;
  if (has('payWeak')) return has('query') || has('mine') || has('balanceWeak') ? 0.8 : 0.65;
  return 0;
}

/**
 * "send me my leave balance every month", "别再发我余额了", "年假快过期的时候通知我": a standing
 * push without the word "reminder" (a send or notify word with a schedule, an on/off word or
 * an expiry).
 */
function balancePush(has: (c: Concept) => boolean): boolean {
  const aboutBalance = has('leave') || has('leaveWeak') || has('balance');
  const aboutPay = has('payslip') || has('payWeak') || has('lumpSum');
  return has('notify') && aboutBalance && !aboutPay && (has('periodic') || has('on') || has('off') || has('expiry'));
}

function reminder(has: (c: Concept) => boolean, residue: number): number {
  if (!has('remind')) return balancePush(has) ? 0.93 : 0;
  if (has('on') || has('off')) return 0.95;
  // Above a plain balance question: "reminders about my leave balance" is about the reminders.
  if (has('leave') || has('leaveWeak') || has('balance')) return 0.92;
  // "remind me to submit my timesheet" is not about balance reminders.
  return residue <= 2 ? 0.6 : 0.35;
}

function language(has: (c: Concept) => boolean, residue: number): number {
  if (!has('langEn') && !has('langZh')) return 0;
  if (has('langSwitch')) return 0.95;
  return residue <= 2 ? 0.6 : 0.3;
}

function help(has: (c: Concept) => boolean, residue: number): number {
  if (has('help')) return residue <= 4 ? 0.8 : 0.55;
  if (has('greet')) return residue <= 2 ? 0.7 : 0.4;
  return 0;
}

function accrualEdit(has: (c: Concept) => boolean, signals: Signals): number {
  if (!signals.hasRecordId) return 0;
  // A record id with no edit verb is a lookup, which the bot does not serve.
  if (!has('edit')) return 0.3;
  return 0.6 + (has('accrual') ? 0.25 : 0) + (signals.hasEditValues() ? 0.15 : 0);
}

/** Every served intent's rule score (0..1) and the out-of-scope score, before any is picked. */
export interface RuleScores {
  /** In tie-break order: the more specific request first. */
  scores: Array<[IntentName, number]>;
  oos: number;
}

/**
 * The rules' score for each intent and for "out of scope"; the statistical layer reads them
 * as features, {@link scoreIntents} picks from them.
 */
export function ruleScores(f: Features, signals: Signals): RuleScores {
  const has = (c: Concept): boolean => f.concepts.has(c);
  const remind = reminder(has, f.residue);
  // Listed in the order that breaks ties: the more specific request first.
  const scores: Array<[IntentName, number]> = [
    ['accrual.edit', accrualEdit(has, signals)],
    // "之前关掉的余额消息再打开吧": switching on again beats the "off" it mentions.
    [has('off') && !has('resume') ? 'reminder.unsubscribe' : 'reminder.subscribe', remind],
    ['language.set', language(has, f.residue)],
    // "the payslip of the month my bonus was paid" is still a payslip.
    ['lump_sum', has('lumpSum') ? (has('payslip') ? 0.85 : 0.9) : 0],
    ['payslip', payslip(has, signals)],
    ['leave.balance', leaveBalance(has, f.residue)],
    ['help', help(has, f.residue)],
  ];
  return { scores, oos: outOfScope(has, f.text, signals) };
}

/** The rules' pick from {@link ruleScores}. */
export function pickIntent({ scores, oos }: RuleScores): { intent: IntentName; confidence: number } {
  let best: [IntentName, number] = ['unknown', 0];
  for (const s of scores) if (s[1] > best[1]) best = s;
  if (oos >= best[1]) return { intent: 'unknown', confidence: Math.max(oos, 1 - best[1]) };
  if (best[1] < THRESHOLD) return { intent: 'unknown', confidence: 1 - best[1] };
  return { intent: best[0], confidence: Math.min(1, best[1]) };
}

/**
 * The best intent for a message and how sure the rules are.
 *
 * @example scoreIntents(detectConcepts('payslip'), { hasRecordId: false, hasEditValues: () => false })
 * // → { intent: 'payslip', confidence: 0.9 }
 */
export function scoreIntents(f: Features, signals: Signals): { intent: IntentName; confidence: number } {
  return pickIntent(ruleScores(f, signals));
}
