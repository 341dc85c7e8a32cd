/**
 * Acks first during an intake burst. When this process takes events in faster than
 * `hotPerSecond`, or has `hotInFlight` deliveries being taken in at once, the jobs it starts
 * (messages, menu clicks, card follow-ups) wait for the burst to pass before they do their
 * work, so the CPU goes to acknowledging Feishu's pushes
 * (which Feishu re-sends, adding load, when they are not answered within 3 s). The wait is
 * bounded: a hold lasts at most `maxHoldMs`, and after any hold the gate stays open for
 * `restMs`, so a sustained flood still gets its answers. Jobs already past the gate keep
 * sending meanwhile: with the send limits' spacing (1000/min), the 32 jobs a process runs
 * hold about 2 s of send slots, so a later hold costs the send rate little; the first hold
 * of a burst, when no job is running yet, delays the first replies by at most `maxHoldMs`
 * (the last reply of a 3 000-reply burst by about 1 %).
 *
 * Only this process's intake counts: a `worker` process (no intake) never holds.
 *
 * @example
 * const pressure = createIntakePressure()
 * const answered = pressure.note() // per delivery, as it arrives
 * answered()                       // once it has been answered
 * await pressure.whenCalm(signal)  // in a job, before its work
 */
export interface IntakePressure {
  /** One delivery arrived; call the function it returns once it has been answered. */
  note(): () => void;
  /** Resolves at once when calm; during a burst, when it passes or the hold's bound is reached. */
  whenCalm(signal?: AbortSignal): Promise<void>;
  /** Jobs the current hold has stopped (0 while the gate is open). */
  holding(): number;
}

export interface IntakePressureOptions {
  /** Deliveries per second above which the intake counts as hot (default 200). */
  hotPerSecond?: number;
  /**
   * Deliveries being taken in at once from which the intake counts as hot (default 8): a
   * burst shows here at once, before its rate can be measured.
   */
  hotInFlight?: number;
  /** Longest hold (default 2 000 ms). */
  maxHoldMs?: number;
  /** After a hold, how long the gate stays open whatever the intake does (default 5 000 ms). */
  restMs?: number;
  /** How often a hold looks at the intake again (default 25 ms). */
  checkEveryMs?: number;
  /** Told when a hold ends: how long it lasted and how many jobs waited. */
  onHold?: (heldMs: number, jobs: number) => void;
}

/** The rate is measured over this window, in two halves (the current and the previous). */
const WINDOW_MS = 100;

export function createIntakePressure(opts: IntakePressureOptions = {}): IntakePressure {
  const hotPerWindow = ((opts.hotPerSecond ?? 200) * WINDOW_MS) / 1000;
  const hotInFlight = opts.hotInFlight ?? 8;
  const maxHoldMs = opts.maxHoldMs ?? 2000;
  const restMs = opts.restMs ?? 5000;
  const checkEveryMs = opts.checkEveryMs ?? 25;
  const now = () => performance.now();
  const half = WINDOW_MS / 2;

  // Deliveries in the current half-window and the one before it.
  let slot = 0;
  let current = 0;
  let previous = 0;
  let inFlight = 0;
  let openUntil = -Infinity;
  // The hold in force: jobs wait on `done`, one timer looks at the intake for all of them.
  let hold: { since: number; release: () => void; done: Promise<void>; timer: NodeJS.Timeout; waiting: number } | undefined;

  function advance(t: number): void {
    const s = Math.floor(t / half);
    if (s === slot) return;
    previous = s === slot + 1 ? current : 0;
    current = 0;
    slot = s;
  }

  function hot(t: number): boolean {
    advance(t);
    return inFlight >= hotInFlight || current + previous >= hotPerWindow;
  }

  function endHold(): void {
    if (!hold) return;
    const ended = hold;
    hold = undefined;
    clearInterval(ended.timer);
    const t = now();
    openUntil = t + restMs;
    opts.onHold?.(t - ended.since, ended.waiting);
    ended.release();
  }

  function startHold(since: number): NonNullable<typeof hold> {
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const timer = setInterval(() => {
      const at = now();
      if (!hot(at) || at - since >= maxHoldMs) endHold();
    }, checkEveryMs);
    // Node's timers can be unref'd (a hold never keeps a process alive); a Worker's are plain numbers.
    (timer as { unref?: () => void }).unref?.();
    return { since, release, done, timer, waiting: 0 };
  }

  return {
    note() {
      advance(now());
      current++;
      inFlight++;
      let left = false;
      return () => {
        if (left) return;
        left = true;
        inFlight--;
      };
    },
    async whenCalm(signal) {
      const t = now();
      if (signal?.aborted || t < openUntil || (!hold && !hot(t))) return;
      hold ??= startHold(t);
      const gate = hold;
      gate.waiting++;
      if (!signal) return gate.done;
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<void>((resolve) => {
        onAbort = () => resolve();
        signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([gate.done, aborted]);
      } finally {
        if (onAbort) signal.removeEventListener('abort', onAbort);
      }
    },
    holding: () => hold?.waiting ?? 0,
  };
}
