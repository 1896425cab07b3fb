/** The argument check every Session.forward() makes once per call. */
import { check } from "@/lib/engine/errors";

/** Checks forward() arguments once per call; errors name the bad row. */
export function checkRows(
  tokens: Int32Array, slots: Int32Array, positions: Int32Array, n: number,
  maxRows: number, nSlots: number, ctx: number, vocab: number,
): void {
  check(n >= 1 && n <= maxRows, `forward: row count must be in [1, ${maxRows}], got ${n}`);
  for (let r = 0; r < n; r++) {
    check(tokens[r] >= 0 && tokens[r] < vocab, `forward: token id ${tokens[r]} at row ${r} is outside the vocabulary [0, ${vocab})`);
    check(slots[r] >= 0 && slots[r] < nSlots, `forward: slot ${slots[r]} at row ${r} is outside [0, ${nSlots})`);
    check(positions[r] >= 0 && positions[r] < ctx, `forward: position ${positions[r]} at row ${r} is outside the context [0, ${ctx})`);
  }
}
