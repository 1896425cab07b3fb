/**
 * generate(): K completions of one prompt, as an async stream of token events
 * and per-sequence results. The prompt is prefilled once into KV slot 0 and
 * copied to the other K-1 slots; each step runs one batched forward over the
 * still-running sequences (one pass over the weights); finished sequences drop out.
 */
import { check } from "@/lib/engine/errors";
import { Sampler, StopChecker, createRng } from "@/lib/engine/sampling";
import type { DecodingConfig, Rng } from "@/lib/engine/sampling";
import type { StreamDecoder, Tokenizer } from "@/lib/engine/tokenizer";
import { beamSearchGenerate } from "./generate-beam";
import { planContext, prefill, yieldToEventLoop } from "./generate-steps";
import type { FinishReason, GenerateEvent, GenerateOptions, GenerationResult } from "./generate-types";

export type { FinishReason, GenerateEvent, GenerateOptions, GenerationResult, TokenEvent, DoneEvent } from "./generate-types";

interface SeqState {
  config: DecodingConfig;
  sampler: Sampler;
  rng: Rng;
  stop: StopChecker;
  decoder: StreamDecoder | null;
  ids: number[];
  logprobs: number[];
  text: string;
  emitted: number;
  done: boolean;
}

/**
 * Generates one completion per config for the same prompt.
 * Yields `{ type: "token", seq, tokenId, text, logprob }` per token and
 * `{ type: "done", seq, result }` once per sequence (also on abort).
 * @throws EngineError when the prompt does not fit the context, an id is outside the vocabulary,
 *         a config is invalid, or stop strings are given without a tokenizer.
 */
export async function* generate(opts: GenerateOptions): AsyncGenerator<GenerateEvent> {
  const ctxLen = planContext(opts);
  const { model, promptIds, configs, signal } = opts;
  const tokenizer: Tokenizer | null = opts.tokenizer ?? null;
  const skip = opts.skipSpecialTokens ?? true;
  const eosIds = opts.eosIds ?? [...new Set([...model.config.eosTokenIds, ...(tokenizer?.eosIds ?? [])])];
  for (const c of configs) check(tokenizer || c.stopStrings.length === 0, "stop strings need a tokenizer to match text");
  if (configs.some((c) => c.numBeams > 1)) {
    check(configs.length === 1, `beam search runs one config at a time, got ${configs.length} configs`);
    yield* beamSearchGenerate(opts, ctxLen, eosIds);
    return;
  }
  const V = model.config.vocabSize;
  const K = configs.length;
  const session = model.createSession({ slots: K, contextLength: ctxLen });
  const seqs: SeqState[] = configs.map((config) => ({
    config,
    sampler: new Sampler(V, config),
    rng: createRng(config.seed),
    // The model's EOS ids end a sequence like the config's own stop ids.
    stop: new StopChecker({ ...config, stopTokenIds: [...new Set([...config.stopTokenIds, ...eosIds])] }),
    decoder: tokenizer ? tokenizer.createStreamDecoder({ skipSpecialTokens: skip }) : null,
    ids: [],
    logprobs: [],
    text: "",
    emitted: 0,
    done: false,
  }));
  const finish = (seq: number, reason: FinishReason, text: string): GenerateEvent => {
    const s = seqs[seq];
    s.done = true;
    const result: GenerationResult = {
      ids: s.ids, text, finishReason: reason, tokenCount: s.ids.length, logprobs: s.config.logprobs ? s.logprobs : null,
    };
    return { type: "done", seq, result };
  };

  if (signal?.aborted) {
    for (let k = 0; k < K; k++) yield finish(k, "abort", "");
    return;
  }
  const first = prefill(session, promptIds, 0);
  for (let k = 1; k < K; k++) session.copySlot(0, k, promptIds.length);

  // Per-step batch: row r is sequence active[r].
  const tokens = new Int32Array(K);
  const slots = new Int32Array(K);
  const pos = new Int32Array(K);
  let active = seqs.map((_, k) => k);
  let logits = first;
  let rowOf = (_k: number) => 0; // first step: every sequence reads the shared prefill logits

  while (active.length > 0) {
    const still: number[] = [];
    for (const k of active) {
      const s = seqs[k];
      const row = logits.subarray(rowOf(k) * V, rowOf(k) * V + V);
      const { id, logprob } = s.sampler.sample(row, { promptIds, generatedIds: s.ids }, s.rng);
      s.ids.push(id);
      s.logprobs.push(logprob);
      if (s.decoder) s.text += s.decoder.push(id);
      let stopped = s.stop.check(s.ids, s.text);
      // Budget or context exhausted: flush held-back bytes into the final text.
      if (!stopped && promptIds.length + s.ids.length >= ctxLen) stopped = { reason: "length", text: s.text };
      if (stopped && s.decoder) {
        const tail = s.decoder.flush();
        if (stopped.reason !== "stop_string") stopped = { ...stopped, text: stopped.text + tail };
      }
      const settled = stopped ? stopped.text.length : s.text.length - s.stop.heldBack(s.text);
      const finalText = stopped ? stopped.text : s.text;
      const piece = settled > s.emitted ? finalText.slice(s.emitted, settled) : "";
      s.emitted = Math.max(s.emitted, settled);
      yield { type: "token", seq: k, tokenId: id, text: piece, logprob };
      if (stopped) {
        yield finish(k, stopped.reason === "stop_token" ? "stop" : stopped.reason, stopped.text);
      } else {
        still.push(k);
      }
    }
    active = still;
    if (active.length === 0) break;
    await yieldToEventLoop();
    if (signal?.aborted) {
      for (const k of active) yield finish(k, "abort", seqs[k].text.slice(0, seqs[k].emitted));
      return;
    }
    // One batched forward over the running sequences: each feeds its last token at its next position.
    active.forEach((k, r) => {
      tokens[r] = seqs[k].ids[seqs[k].ids.length - 1];
      slots[r] = k;
      pos[r] = promptIds.length + seqs[k].ids.length - 1;
    });
    logits = session.forward(tokens, slots, pos, active.length, "all");
    const index = new Map(active.map((k, r) => [k, r]));
    rowOf = (k) => index.get(k)!;
  }
}
