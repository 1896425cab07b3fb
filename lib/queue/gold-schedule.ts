/**
 * When an annotator's next task is a gold (known-answer) prompt. Systematic
 * sampling with a random start: task n (0-based, counting the annotator's
 * finished tasks in the project) is a gold turn when ⌊(n+1)·rate + phase⌋ >
 * ⌊n·rate + phase⌋, so over the first m tasks exactly ⌊m·rate + phase⌋ are
 * gold turns (the rate holds to within one item at every point), while the
 * phase — fixed per annotator and project — makes the positions differ between
 * annotators, who therefore cannot compare notes to spot the gold items.
 */

/** A phase in [0, 1) derived from `key` (FNV-1a, 32 bits): reproducible, no stored state. */
export function goldPhase(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h / 2 ** 32;
}

export function isGoldTurn({ n, rate, phase }: { n: number; rate: number; phase: number }): boolean {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`rate must be in [0, 1], got ${rate}`);
  if (!(phase >= 0 && phase < 1)) throw new RangeError(`phase must be in [0, 1), got ${phase}`);
  return Math.floor((n + 1) * rate + phase) > Math.floor(n * rate + phase);
}
