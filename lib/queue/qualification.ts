/**
 * The qualification batch: a new member first ranks `size` gold prompts and
 * must get at least ⌈passMark · size⌉ of them right (no gold miss, see
 * isGoldMiss; a skipped item counts as wrong) before any real work. The
 * verdict is given once the whole batch is done.
 */
export type QualificationStatus = "pending" | "passed" | "failed";

/** How many of `size` items must be right; the epsilon keeps 0.8 · 5 at 4, not 5. */
export function requiredCorrect({ size, passMark }: { size: number; passMark: number }): number {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
  if (!(passMark > 0 && passMark <= 1)) throw new RangeError(`passMark must be in (0, 1], got ${passMark}`);
  return Math.ceil(size * passMark - 1e-9);
}

export function qualificationVerdict({ size, passMark, done, correct }: { size: number; passMark: number; done: number; correct: number }): QualificationStatus {
  if (correct > done) throw new RangeError(`correct (${correct}) cannot exceed done (${done})`);
  if (done < size) return "pending";
  return correct >= requiredCorrect({ size, passMark }) ? "passed" : "failed";
}
