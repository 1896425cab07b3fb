/** Greedy decoding through the engine, recording full-vocab log-probs, and comparison with a reference run. */
import { prefill } from "@/lib/engine/generate-steps";
import { logSoftmax } from "@/lib/engine/kernels/softmax";
import type { CausalLM } from "@/lib/engine/models/types";
import type { ReferenceRun } from "./llama-cpp";

export function engineGreedy(model: CausalLM, prompt: number[], steps: number): { ids: number[]; logprobs: Float32Array[] } {
  const V = model.config.vocabSize;
  const s = model.createSession({ slots: 1, contextLength: prompt.length + steps });
  let lg = prefill(s, prompt, 0);
  const ids: number[] = [];
  const logprobs: Float32Array[] = [];
  for (let i = 0; i < steps; i++) {
    const lp = new Float32Array(V);
    logSoftmax(lp, lg, 0, V);
    let best = 0;
    for (let j = 1; j < V; j++) if (lg[j] > lg[best]) best = j;
    ids.push(best);
    logprobs.push(lp);
    if (i + 1 < steps) lg = s.forward(Int32Array.of(best), Int32Array.of(0), Int32Array.of(prompt.length + i), 1, "last");
  }
  return { ids, logprobs };
}

/**
 * Largest |log p_engine - log p_ref| over steps before the first id mismatch
 * and over tokens whose reference probability is at least `minProb`.
 */
export function maxLogprobDiff(a: { ids: number[]; logprobs: Float32Array[] }, ref: ReferenceRun, minProb = 0): number {
  let max = 0;
  const minLp = minProb > 0 ? Math.log(minProb) : -Infinity;
  for (let i = 0; i < ref.ids.length; i++) {
    for (let j = 0; j < ref.logprobs[i].length; j++) {
      if (ref.logprobs[i][j] >= minLp && Number.isFinite(ref.logprobs[i][j])) {
        max = Math.max(max, Math.abs(ref.logprobs[i][j] - a.logprobs[i][j]));
      }
    }
    if (a.ids[i] !== ref.ids[i]) break;
  }
  return max;
}

/**
 * Index of the first generated id that differs, or -1. A difference is only
 * acceptable where the reference's top-two log-probs are within `tieGap`
 * (a near tie that rounding may flip); `explained` says whether it is.
 */
export function firstDivergence(a: { ids: number[] }, ref: ReferenceRun, tieGap: number): { index: number; explained: boolean } {
  const index = a.ids.findIndex((id, i) => id !== ref.ids[i]);
  if (index < 0) return { index, explained: true };
  const sorted = Array.from(ref.logprobs[index]).sort((x, y) => y - x);
  return { index, explained: sorted[0] - sorted[1] < tieGap };
}
