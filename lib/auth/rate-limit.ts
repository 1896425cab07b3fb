/**
 * In-memory rate-limit primitives, one set per server process. They bound
 * their own memory (the oldest keys are forgotten first), so a flood of new
 * keys cannot grow them without limit. Several app instances each keep their
 * own counts; the per-email sign-in delay lives in the database and is shared.
 */

/** At most `limit` events per key in any `windowMs`; an event can be refunded (a success that was counted up front). */
export class SlidingWindow {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly opts: { limit: number; windowMs: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Events of `key` still inside the window. */
  count(key: string): number {
    return this.live(key).length;
  }

  /**
   * Counts one event for `key` when there is room and returns a function that
   * takes it back; returns null (and counts nothing) when the window is full.
   */
  take(key: string): (() => void) | null {
    const live = this.live(key);
    if (live.length >= this.opts.limit) return null;
    const at = this.now();
    live.push(at);
    this.events.delete(key);
    this.events.set(key, live); // most recently used last, so eviction drops the stalest key
    this.evict();
    let refunded = false;
    return () => {
      if (refunded) return;
      refunded = true;
      const list = this.events.get(key);
      const i = list ? list.indexOf(at) : -1;
      if (list && i >= 0) list.splice(i, 1);
      if (list && list.length === 0) this.events.delete(key);
    };
  }

  /** Milliseconds until `key` has room again (0 when it has room now). */
  retryAfterMs(key: string): number {
    const live = this.live(key);
    return live.length < this.opts.limit ? 0 : Math.max(0, live[0] + this.opts.windowMs - this.now());
  }

  private live(key: string): number[] {
    const list = this.events.get(key);
    if (!list) return [];
    const cutoff = this.now() - this.opts.windowMs;
    while (list.length > 0 && list[0] <= cutoff) list.shift();
    if (list.length === 0) this.events.delete(key);
    return list;
  }

  private evict(): void {
    const max = this.opts.maxKeys ?? 10_000;
    for (const key of this.events.keys()) {
      if (this.events.size <= max) break;
      this.events.delete(key);
    }
  }
}

/**
 * Runs tasks one at a time per key, so parallel attempts on one key each see
 * what the one before them recorded. At most `maxWaiting` may wait behind the
 * running one; more are refused at once rather than queued without bound.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, { tail: Promise<unknown>; size: number }>();

  constructor(private readonly maxWaiting: number) {}

  /** The task's result, or `refused` when `key` already has too many waiting. */
  async run<T>(key: string, task: () => Promise<T>): Promise<{ refused: true } | { refused: false; value: T }> {
    const entry = this.tails.get(key) ?? { tail: Promise.resolve(), size: 0 };
    if (entry.size > this.maxWaiting) return { refused: true };
    entry.size++;
    const previous = entry.tail;
    const mine = previous.catch(() => undefined).then(task);
    entry.tail = mine;
    this.tails.set(key, entry);
    try {
      return { refused: false, value: await mine };
    } finally {
      entry.size--;
      if (entry.size === 0 && this.tails.get(key) === entry) this.tails.delete(key);
    }
  }
}
