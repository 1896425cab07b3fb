/**
 * Decoding: config parsing, seeded RNG, logits processors, sampling, beam
 * search and stop conditions. Pure: typed arrays and configs in, ids out.
 */
export { DEFAULT_DECODING_CONFIG, decodingConfigToJSON, parseDecodingConfig, validateDecodingConfig } from "./config";
export type { DecodingConfig } from "./config";
// The seeded RNG is lib/numerics' one; re-exported because sampling takes it.
export { createRng, splitMix64, Xoshiro128ss } from "@/lib/numerics/rng";
export type { Rng } from "@/lib/numerics/rng";
export { applyPenalties, logProb, logSoftmax, logSumExp, normalizer, penalizedLogSoftmax, PenaltyScratch } from "./processors";
export type { Normalizer, SamplingContext } from "./processors";
export { Candidates, keepMinP, keepTopK, keepTopP, keepTypical } from "./filters";
export { argmax, sampleNext, Sampler } from "./sample";
export type { Sampled } from "./sample";
export { BeamSearch } from "./beam";
export type { BeamHypothesis, BeamSearchOptions, BeamStep } from "./beam";
export { StopChecker } from "./stop";
export type { FinishReason, StopResult } from "./stop";
