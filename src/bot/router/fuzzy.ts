/**
 * Typo tolerance for Latin words: people type "paysilp", "balence", "remidner".
 */

/**
 * Optimal-string-alignment distance (insert, delete, substitute, swap two
 * neighbours), giving up as soon as it must exceed `max`.
 *
 * @example editDistance('paysilp', 'payslip', 2) // → 1
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[n] ?? max + 1;
}

function sharedEnds(a: string, b: string): number {
  let prefix = 0;
  while (prefix < a.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return prefix + suffix;
}

/** How many typos a word of this length may carry and still be recognised. */
export function typoBudget(length: number): number {
  // Short words are too easily another word ("pay"/"day", "leave"/"lease" is already risky).
  if (length < 5) return 0;
  return length < 8 ? 1 : 2;
}

/** The memo holds at most this many short words (each at most the longest vocabulary word + 2). */
const MEMO_ENTRIES = 20_000;

/** A flat copy of a string that shares no storage with the text it was cut from. */
function copyOf(word: string): string {
  return Buffer.from(word, 'utf8').toString('utf8');
}

/**
 * Maps a word to the one vocabulary word it is a typo of, or undefined when
 * none or several are equally close. Answers are memoised: chat vocabularies
 * are small and repeat a lot.
 *
 * @example new TypoCorrector(['payslip', 'balance']).correct('balence') // → 'balance'
 */
export class TypoCorrector {
  private readonly byLength = new Map<number, string[]>();
  private readonly memo = new Map<string, string | undefined>();
  private longest = 0;

  constructor(vocabulary: Iterable<string>, private readonly known: ReadonlySet<string> = new Set()) {
    for (const word of vocabulary) {
      this.longest = Math.max(this.longest, word.length);
      const list = this.byLength.get(word.length) ?? [];
      list.push(word);
      this.byLength.set(word.length, list);
    }
  }

  /** How many answers are remembered (bounded by MEMO_ENTRIES). */
  get memoSize(): number {
    return this.memo.size;
  }

  correct(word: string): string | undefined {
    // Longer than any vocabulary word plus the typo budget: nothing to correct, nothing to remember.
    if (word.length > this.longest + 2) return undefined;
    if (this.memo.has(word)) return this.memo.get(word);
    const answer = this.search(word);
    if (this.memo.size >= MEMO_ENTRIES) this.memo.clear();
    // A token sliced from a message can keep the whole message alive in V8; store a copy.
    this.memo.set(copyOf(word), answer);
    return answer;
  }

  private search(word: string): string | undefined {
    if (this.byLength.get(word.length)?.includes(word)) return word;
    if (this.known.has(word)) return undefined;
    const budget = typoBudget(word.length);
    // Four-letter words get only a swap of neighbours ("hlep"): anything looser hits real words.
    if (budget === 0) return word.length === 4 ? this.swapped(word) : undefined;
    let best: string | undefined;
    let bestRank = Infinity;
    let tie = false;
    for (let len = word.length - budget; len <= word.length + budget; len++) {
      for (const candidate of this.byLength.get(len) ?? []) {
        // A four-letter word may still be the target of one slip ("menue" → "menu").
        const allowed = Math.min(budget, Math.max(1, typoBudget(candidate.length)));
        if (candidate.length < 4) continue;
        const d = editDistance(word, candidate, allowed);
        if (d > allowed) continue;
        // Equal distance: the candidate sharing more of the word's ends wins ("remindr" → "reminder", not "remind").
        const rank = d * 100 - sharedEnds(word, candidate);
        if (rank < bestRank) {
          best = candidate;
          bestRank = rank;
          tie = false;
        } else if (rank === bestRank && candidate !== best) {
          tie = true;
        }
      }
    }
    return tie ? undefined : best;
  }

  private swapped(word: string): string | undefined {
    for (let i = 0; i + 1 < word.length; i++) {
      const w = word.slice(0, i) + word.charAt(i + 1) + word.charAt(i) + word.slice(i + 2);
      if (w !== word && this.byLength.get(4)?.includes(w)) return w;
    }
    return undefined;
  }
}
