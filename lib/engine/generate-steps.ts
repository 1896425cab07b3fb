/** Pieces shared by the sampling and beam-search paths of generate(). */
import { check } from "@/lib/engine/errors";
import type { Session } from "@/lib/engine/models/types";
import type { GenerateOptions } from "./generate-types";

/** Lets abort handlers and other tasks run between decode steps (works in Node and browsers). */
export function yieldToEventLoop(): Promise<void> {
  const si = (globalThis as { setImmediate?: (cb: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (si ? si(resolve) : setTimeout(resolve, 0)));
}

/** Checks the prompt and picks the context length: prompt + the longest budget, capped by the model. */
export function planContext(opts: GenerateOptions): number {
  const { model, promptIds, configs } = opts;
  const c = model.config;
  check(configs.length >= 1, "configs must hold at least one decoding config");
  check(promptIds.length >= 1, "promptIds must not be empty");
  for (const id of promptIds) check(Number.isInteger(id) && id >= 0 && id < c.vocabSize, `prompt token id ${id} is outside the vocabulary [0, ${c.vocabSize})`);
  check(
    promptIds.length < c.maxSeqLen,
    `prompt of ${promptIds.length} tokens does not fit the model's context of ${c.maxSeqLen} (it must leave room for one new token)`,
  );
  const budget = Math.max(...configs.map((k) => k.maxNewTokens));
  return Math.min(c.maxSeqLen, promptIds.length + budget);
}

/**
 * Runs the prompt through `slot` in chunks of session.maxRows; returns a copy of
 * the last position's logits (vocab). Chunks before the last skip the output head.
 */
export function prefill(session: Session, promptIds: readonly number[], slot: number): Float32Array {
  const R = session.maxRows;
  const tokens = new Int32Array(R);
  const slots = new Int32Array(R).fill(slot);
  const pos = new Int32Array(R);
  let logits: Float32Array = new Float32Array(0);
  for (let start = 0; start < promptIds.length; start += R) {
    const n = Math.min(R, promptIds.length - start);
    for (let i = 0; i < n; i++) {
      tokens[i] = promptIds[start + i];
      pos[i] = start + i;
    }
    logits = session.forward(tokens, slots, pos, n, start + n < promptIds.length ? "none" : "last");
  }
  return Float32Array.from(logits);
}
