/**
 * Whether one generation request fits the model before any memory is taken,
 * and whose fault it is when it does not. A request is one prompt and the
 * decoding configs run on it together (one batch of sampling configs, or one
 * beam-search config). Settings that no prompt could meet (max_new_tokens
 * beyond the context, a KV cache over budget even for a one-token prompt) are
 * the whole job's problem; a prompt too long for what is left is that prompt's.
 */
import { EngineError } from "@/lib/engine/errors";
import type { ModelConfig } from "@/lib/engine/models/config";
import { validateDecodingConfig, type DecodingConfig } from "@/lib/engine/sampling";

/** Why one prompt could not be generated while others still can. */
export type PromptFailureKind = "too_long" | "bad_prompt" | "engine_error" | "worker_stopped";

/**
 * Generation failed because of this prompt: the generation job marks the
 * prompt with the message and goes on with the next one. Any other error
 * (the model cannot load, the worker or endpoint is gone, settings no prompt
 * can meet) fails the job instead.
 */
export class PromptError extends Error {
  constructor(
    readonly kind: PromptFailureKind,
    message: string,
  ) {
    super(message);
    this.name = "PromptError";
  }
}

/** The model dimensions the KV cache size depends on. */
export type KvShape = Pick<ModelConfig, "nLayers" | "nKvHeads" | "headDim" | "maxSeqLen">;

/** KV slots generate() allocates for these configs: one per sampling config, 2 × num_beams for beam search. */
export function kvSlots(configs: readonly DecodingConfig[]): number {
  const beams = configs.find((c) => c.numBeams > 1);
  return beams ? 2 * beams.numBeams : configs.length;
}

/** Bytes of the KV cache: K and V (2) × layers × slots × positions × kvDim (nKvHeads × headDim) float32s (4 bytes). */
export function kvCacheBytes(shape: KvShape, slots: number, positions: number): number {
  return 2 * shape.nLayers * slots * positions * shape.nKvHeads * shape.headDim * 4;
}

const size = (bytes: number) => (bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${(bytes / 1e6).toFixed(1)} MB`);

function kvText(shape: KvShape, slots: number, positions: number): string {
  const bytes = kvCacheBytes(shape, slots, positions);
  return `${size(bytes)} (${slots} slots × ${positions} positions × ${shape.nLayers} layers × ${shape.nKvHeads * shape.headDim} floats × K and V × 4 bytes)`;
}

/**
 * Checks one request against the model's context and the KV-cache budget.
 * By default the prompt must leave room for every config's max_new_tokens (the
 * generation job: a completion is never cut short by the context); with
 * `stopAtContext` a longer prompt is generated until the context is full, as
 * generate() itself does (best-of-N), and only a prompt that fills the context is refused.
 * @throws EngineError for settings no prompt can meet (the job's problem)
 * @throws PromptError ("too_long") for a prompt that leaves too little room
 */
export function checkRequestFits(shape: KvShape, configs: readonly DecodingConfig[], promptTokens: number, budgetBytes: number, opts: { stopAtContext?: boolean } = {}): void {
  const context = shape.maxSeqLen;
  for (const c of configs) validateDecodingConfig(c, { contextLength: context });
  const budget = Math.max(...configs.map((c) => c.maxNewTokens));
  const slots = kvSlots(configs);
  // generate() sizes the KV cache for the prompt and the longest budget, capped by the context.
  const positions = (prompt: number) => Math.min(context, prompt + budget);
  if (!opts.stopAtContext && 1 + budget > context) throw new EngineError(`max_new_tokens ${budget} leaves no room for a prompt in the model's context of ${context}`);
  if (kvCacheBytes(shape, slots, positions(1)) > budgetBytes) {
    throw new EngineError(`these decoding settings need a KV cache of ${kvText(shape, slots, positions(1))} even for a one-token prompt, over the budget of ${size(budgetBytes)} (KV_CACHE_BUDGET_MB); lower max_new_tokens or the completions per prompt`);
  }
  if (opts.stopAtContext ? promptTokens >= context : promptTokens + budget > context) {
    const asked = opts.stopAtContext ? `prompt of ${promptTokens} tokens does not leave room for one new token in` : `prompt of ${promptTokens} tokens + max_new_tokens ${budget} do not fit`;
    throw new PromptError("too_long", `${asked} the model's context of ${context}`);
  }
  if (kvCacheBytes(shape, slots, positions(promptTokens)) > budgetBytes) {
    throw new PromptError("too_long", `prompt of ${promptTokens} tokens + max_new_tokens ${budget} need a KV cache of ${kvText(shape, slots, positions(promptTokens))}, over the budget of ${size(budgetBytes)} (KV_CACHE_BUDGET_MB)`);
  }
}
