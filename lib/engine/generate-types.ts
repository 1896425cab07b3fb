/** Inputs and outputs of generate(). */
import type { CausalLM } from "@/lib/engine/models/types";
import type { DecodingConfig } from "@/lib/engine/sampling";
import type { Tokenizer } from "@/lib/engine/tokenizer";

/** Why one sequence ended: an EOS / stop id, the token budget, a stop string, or the abort signal. */
export type FinishReason = "stop" | "length" | "stop_string" | "abort";

export interface GenerateOptions {
  model: CausalLM;
  /** Turns ids into text for events, results and stop strings; without it every text is "". */
  tokenizer?: Tokenizer | null;
  promptIds: readonly number[];
  /** One config per sequence (K sequences share the prompt). Beam search: exactly one config with numBeams > 1. */
  configs: readonly DecodingConfig[];
  signal?: AbortSignal;
  /** Ids that end a sequence, e.g. generation_config.json's eos_token_id. Default: the model's and the tokenizer's EOS ids. */
  eosIds?: readonly number[];
  /** Drop special tokens (BOS, EOS, ...) from the text. Default true. */
  skipSpecialTokens?: boolean;
}

/** A generated token of sequence `seq`; `text` is the newly settled text (may be "" while a stop string is undecided). */
export interface TokenEvent {
  type: "token";
  seq: number;
  tokenId: number;
  text: string;
  logprob: number;
}

export interface GenerationResult {
  /** Generated ids, without the prompt; a final stop/EOS id is included. */
  ids: number[];
  text: string;
  finishReason: FinishReason;
  tokenCount: number;
  /** Log-prob of each generated id under the raw logits when config.logprobs, else null (always null for beam search). */
  logprobs: number[] | null;
}

/** The end of sequence `seq`. */
export interface DoneEvent {
  type: "done";
  seq: number;
  result: GenerationResult;
}

export type GenerateEvent = TokenEvent | DoneEvent;
