import { describe, expect, it } from "vitest";
import { BeamSearch, createRng, DEFAULT_DECODING_CONFIG, parseDecodingConfig, Sampler, StopChecker } from "@/lib/engine/sampling";
import type { DecodingConfig } from "@/lib/engine/sampling";
import { EOS, greedyTrap, shortOrLong, slowWinner } from "./toy-models";
import type { ToyModel } from "./toy-models";

// House rule 9: every config field has a test showing it changes the output.
// Each entry decodes twice, with the field at two values, and the outputs must differ.

const draws = (logits: number[], options: Record<string, unknown>, n = 200, ctx = { promptIds: [] as number[], generatedIds: [] as number[] }) => {
  const config = parseDecodingConfig(options);
  const sampler = new Sampler(logits.length, config);
  const rng = createRng(config.seed);
  return Array.from({ length: n }, () => sampler.sample(Float32Array.from(logits), ctx, rng).id);
};

const distinct = (ids: number[]) => [...new Set(ids)].sort((a, b) => a - b);

/** Best hypothesis of a beam search configured from `options`, driven over a toy model. */
const beamBest = (model: ToyModel, options: Record<string, unknown>) => {
  const search = BeamSearch.fromConfig(parseDecodingConfig({ temperature: 0, max_new_tokens: 4, ...options }), [EOS]);
  let prefixes: number[][] = [[]];
  for (;;) {
    const r = search.step(prefixes.map((p) => Float32Array.from(model(p), Math.log)));
    prefixes = r.parents.map((b, i) => [...prefixes[b]!, r.tokens[i]!]);
    if (r.done) return search.best()[0]!.ids;
  }
};

const stopReason = (options: Record<string, unknown>, ids: number[], text: string) =>
  new StopChecker(parseDecodingConfig(options)).check(ids, text);

const probs = [0.4, 0.3, 0.2, 0.1].map(Math.log);
const close = [2, 1.9, 0];

const EFFECTS: Partial<Record<keyof DecodingConfig, () => [unknown, unknown]>> = {
  temperature: () => [distinct(draws(probs, { temperature: 0 })), distinct(draws(probs, { temperature: 1 }))],
  topK: () => [distinct(draws(probs, { top_k: 2 })), distinct(draws(probs, {}))],
  topP: () => [distinct(draws(probs, { top_p: 0.5 })), distinct(draws(probs, {}))],
  minP: () => [distinct(draws(probs, { min_p: 0.6 })), distinct(draws(probs, {}))],
  typicalP: () => [distinct(draws(probs, { typical_p: 0.25 })), distinct(draws(probs, {}))],
  repetitionPenalty: () => [
    draws(close, { temperature: 0, repetition_penalty: 1.2 }, 1, { promptIds: [0], generatedIds: [] }),
    draws(close, { temperature: 0 }, 1, { promptIds: [0], generatedIds: [] }),
  ],
  frequencyPenalty: () => [
    draws(close, { temperature: 0, frequency_penalty: 0.2 }, 1, { promptIds: [], generatedIds: [0] }),
    draws(close, { temperature: 0 }, 1, { promptIds: [], generatedIds: [0] }),
  ],
  presencePenalty: () => [
    draws(close, { temperature: 0, presence_penalty: 0.2 }, 1, { promptIds: [], generatedIds: [0] }),
    draws(close, { temperature: 0 }, 1, { promptIds: [], generatedIds: [0] }),
  ],
  numBeams: () => [beamBest(greedyTrap, { num_beams: 2, length_penalty: 0 }), beamBest(greedyTrap, { num_beams: 1 })],
  lengthPenalty: () => [beamBest(shortOrLong, { num_beams: 2, length_penalty: 0 }), beamBest(shortOrLong, { num_beams: 2 })],
  earlyStopping: () => [beamBest(slowWinner, { num_beams: 2, early_stopping: true }), beamBest(slowWinner, { num_beams: 2 })],
  maxNewTokens: () => [stopReason({ max_new_tokens: 2 }, [1, 2], "ab"), stopReason({ max_new_tokens: 3 }, [1, 2], "ab")],
  stopStrings: () => [stopReason({ stop_strings: ["lo"] }, [1], "hello"), stopReason({}, [1], "hello")],
  stopTokenIds: () => [stopReason({ stop_token_ids: [5] }, [5], "x"), stopReason({}, [5], "x")],
  seed: () => [draws(probs, { seed: 1 }, 20), draws(probs, { seed: 2 }, 20)],
};

// `logprobs` does not change which tokens are chosen: it tells the generation
// loop to keep the logprob that sampleNext always returns.
const CONSUMED_BY_GENERATION_LOOP: (keyof DecodingConfig)[] = ["logprobs"];

describe("every decoding config field", () => {
  it("has an effect test (or is documented as consumed by the generation loop)", () => {
    expect([...Object.keys(EFFECTS), ...CONSUMED_BY_GENERATION_LOOP].sort()).toEqual(Object.keys(DEFAULT_DECODING_CONFIG).sort());
  });

  it.each(Object.entries(EFFECTS))("%s changes the output", (_field, effect) => {
    const [a, b] = effect!();
    expect(a).not.toEqual(b);
  });
});
