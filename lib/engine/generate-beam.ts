/**
 * Beam search for generate(): the sampling helper's BeamSearch decides which
 * beams live; this file runs the model for them. KV slots are double-buffered
 * (2 x numBeams): each step copies every new beam's parent prefix into the
 * other half, so a parent shared by two children is never overwritten early.
 */
import { check } from "@/lib/engine/errors";
import { BeamSearch, PenaltyScratch, applyPenalties, logSoftmax } from "@/lib/engine/sampling";
import { prefill, yieldToEventLoop } from "./generate-steps";
import type { GenerateEvent, GenerateOptions, GenerationResult } from "./generate-types";

/** Runs beam search for opts.configs[0]; yields the best hypothesis as seq 0 (token events, then done). */
export async function* beamSearchGenerate(opts: GenerateOptions, ctxLen: number, eosIds: readonly number[]): AsyncGenerator<GenerateEvent> {
  const { model, promptIds, signal } = opts;
  const config = opts.configs[0];
  check(config.stopStrings.length === 0, "stop strings are not supported with beam search (num_beams > 1)");
  const V = model.config.vocabSize;
  const nb = config.numBeams;
  const P = promptIds.length;
  // The context may cap the budget below max_new_tokens.
  const maxNew = Math.min(config.maxNewTokens, ctxLen - P);
  const search = BeamSearch.fromConfig({ ...config, maxNewTokens: maxNew }, eosIds);
  const session = model.createSession({ slots: 2 * nb, contextLength: ctxLen });
  const scratch = new PenaltyScratch(V);
  const work = new Float32Array(V);
  const lps = Array.from({ length: nb }, () => new Float32Array(V));
  const tokens = new Int32Array(nb);
  const slots = new Int32Array(nb);
  const pos = new Int32Array(nb);

  let aborted = signal?.aborted ?? false;
  let beamIds: number[][] = [[]];
  let beamSlots = [0];
  let base = 0;
  let logits = aborted ? new Float32Array(V) : prefill(session, promptIds, 0);
  while (!aborted) {
    // log-softmax of each live beam's penalized logits (V each)
    const live = beamIds.length;
    for (let i = 0; i < live; i++) {
      work.set(logits.subarray(i * V, i * V + V));
      applyPenalties(work, { promptIds, generatedIds: beamIds[i] }, config, scratch);
      logSoftmax(lps[i], work);
    }
    const step = search.step(lps.slice(0, live));
    if (step.done) break;
    // New beam i continues parent p: copy p's prefix into the other half of the slots.
    base = base === 0 ? nb : 0;
    const len = beamIds[0].length; // generated tokens already in the cache of every live beam
    step.parents.forEach((p, i) => session.copySlot(beamSlots[p], base + i, P + len));
    beamIds = step.parents.map((p, i) => [...beamIds[p], step.tokens[i]]);
    beamSlots = step.parents.map((_, i) => base + i);
    await yieldToEventLoop();
    if (signal?.aborted) {
      aborted = true;
      break;
    }
    beamIds.forEach((ids, i) => {
      tokens[i] = ids[ids.length - 1];
      slots[i] = beamSlots[i];
      pos[i] = P + ids.length - 1;
    });
    logits = session.forward(tokens, slots, pos, beamIds.length, "all");
  }

  // On abort, report the best live beam so far.
  const best = aborted ? { ids: beamIds[0], eos: false } : search.best()[0];
  const tok = opts.tokenizer ?? null;
  const skip = opts.skipSpecialTokens ?? true;
  const text = tok ? tok.decode(best.ids, { skipSpecialTokens: skip }) : "";
  const decoder = tok?.createStreamDecoder({ skipSpecialTokens: skip });
  for (const id of best.ids) yield { type: "token", seq: 0, tokenId: id, text: decoder ? decoder.push(id) : "", logprob: NaN };
  const result: GenerationResult = {
    ids: best.ids,
    text,
    finishReason: aborted ? "abort" : best.eos ? "stop" : "length",
    tokenCount: best.ids.length,
    logprobs: null,
  };
  yield { type: "done", seq: 0, result };
}
