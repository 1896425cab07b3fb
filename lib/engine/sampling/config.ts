import { EngineError } from "@/lib/engine/errors";

/**
 * Every knob of one decoding run. Stored with each completion (with `seed`) so
 * the completion can be reproduced exactly.
 *
 * Semantics decisions (see also `parseDecodingConfig`):
 * - `temperature: 0` means greedy (argmax after the penalties).
 * - Options that would have no effect are refused rather than silently ignored:
 *   sampling filters with greedy, sampling with beams, beam options without beams.
 * - `seed` is only consumed when sampling (temperature > 0, numBeams 1).
 * - `maxNewTokens`, `stopStrings`, `stopTokenIds` are enforced by `StopChecker`
 *   (and `BeamSearch` for `maxNewTokens`); `logprobs` tells the generation loop
 *   to keep the per-token logprob that `sampleNext` always returns.
 * - `numBeams` and `maxNewTokens` have hard upper limits (`DECODING_LIMITS`), and
 *   `maxNewTokens` can also be held to a model's context (`DecodingLimits`): the
 *   KV cache grows with both (slots × positions), so an unbounded value is a
 *   request for unbounded memory.
 */
export interface DecodingConfig {
  temperature: number;
  topK: number;
  topP: number;
  minP: number;
  typicalP: number;
  repetitionPenalty: number;
  frequencyPenalty: number;
  presencePenalty: number;
  numBeams: number;
  lengthPenalty: number;
  earlyStopping: boolean;
  maxNewTokens: number;
  stopStrings: string[];
  stopTokenIds: number[];
  seed: number;
  logprobs: boolean;
}

/** Plain ancestral sampling at temperature 1 with every filter and penalty off. */
export const DEFAULT_DECODING_CONFIG: DecodingConfig = Object.freeze({
  temperature: 1,
  topK: 0,
  topP: 1,
  minP: 0,
  typicalP: 1,
  repetitionPenalty: 1,
  frequencyPenalty: 0,
  presencePenalty: 0,
  numBeams: 1,
  lengthPenalty: 1,
  earlyStopping: false,
  maxNewTokens: 128,
  stopStrings: Object.freeze([]) as unknown as string[],
  stopTokenIds: Object.freeze([]) as unknown as number[],
  seed: 0,
  logprobs: false,
}) as DecodingConfig;

/**
 * Limits that hold whatever the model: at most 16 beams (beam search keeps
 * 2 × num_beams KV slots), at most 131072 new tokens (2^17, the longest
 * context of common models). A model's own context is usually lower; pass it
 * as `DecodingLimits.contextLength`.
 */
export const DECODING_LIMITS = Object.freeze({ numBeams: 16, maxNewTokens: 131_072 });

/** What the caller knows about the model the config will run on. */
export interface DecodingLimits {
  /** The model's context (max positions): max_new_tokens may not exceed it. */
  contextLength?: number;
}

type Field = keyof DecodingConfig;
type Checker<K extends Field> = (value: unknown, name: string) => DecodingConfig[K];

const show = (v: unknown): string => {
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (v === undefined) return "undefined";
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
};

const fail = (name: string, rule: string, value: unknown): never => {
  throw new EngineError(`${name} must be ${rule}, got ${show(value)}`);
};

function num(value: unknown, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) fail(name, "a finite number", value);
  return value as number;
}

function int(value: unknown, name: string, min: number, rule: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) fail(name, rule, value);
  return value as number;
}

/** An upper bound, in the engine's style: `num_beams must be ≤ 16, got 64`. */
function atMost(value: number, name: string, max: number, why?: string): number {
  if (value > max) fail(name, `≤ ${max}${why ? ` (${why})` : ""}`, value);
  return value;
}

function bool(value: unknown, name: string): boolean {
  if (typeof value !== "boolean") fail(name, "a boolean", value);
  return value as boolean;
}

/** A number in a range; `lo`/`hi` inclusive unless marked open. */
function inRange(lo: number, loOpen: boolean, hi: number, hiOpen: boolean): Checker<Field> {
  const rule = `in ${loOpen ? "(" : "["}${lo}, ${hi}${hiOpen ? ")" : "]"}`;
  return (value, name) => {
    const v = num(value, name);
    if ((loOpen ? v <= lo : v < lo) || (hiOpen ? v >= hi : v > hi)) fail(name, rule, v);
    return v;
  };
}

const CHECKS: { [K in Field]: { snake: string; check: Checker<K> } } = {
  temperature: {
    snake: "temperature",
    check: (v, n) => (num(v, n) < 0 ? fail(n, ">= 0 (0 means greedy)", v) : (v as number)),
  },
  topK: { snake: "top_k", check: (v, n) => int(v, n, 0, "an integer >= 0 (0 disables it)") },
  topP: { snake: "top_p", check: inRange(0, true, 1, false) as Checker<"topP"> },
  minP: { snake: "min_p", check: inRange(0, false, 1, false) as Checker<"minP"> },
  typicalP: { snake: "typical_p", check: inRange(0, true, 1, false) as Checker<"typicalP"> },
  repetitionPenalty: {
    snake: "repetition_penalty",
    check: (v, n) => (num(v, n) <= 0 ? fail(n, "> 0 (1 disables it)", v) : (v as number)),
  },
  // OpenAI's documented range for both penalties.
  frequencyPenalty: { snake: "frequency_penalty", check: inRange(-2, false, 2, false) as Checker<"frequencyPenalty"> },
  presencePenalty: { snake: "presence_penalty", check: inRange(-2, false, 2, false) as Checker<"presencePenalty"> },
  numBeams: { snake: "num_beams", check: (v, n) => atMost(int(v, n, 1, "an integer >= 1"), n, DECODING_LIMITS.numBeams) },
  lengthPenalty: { snake: "length_penalty", check: num },
  earlyStopping: {
    snake: "early_stopping",
    // HF's "never" is exactly what `false` implements here (see BeamSearch).
    check: (v, n) => (v === "never" ? false : bool(v, n)),
  },
  maxNewTokens: { snake: "max_new_tokens", check: (v, n) => atMost(int(v, n, 1, "an integer >= 1"), n, DECODING_LIMITS.maxNewTokens) },
  stopStrings: { snake: "stop_strings", check: checkStopStrings },
  stopTokenIds: { snake: "stop_token_ids", check: checkTokenIds },
  seed: { snake: "seed", check: (v, n) => int(v, n, 0, "a non-negative safe integer") },
  logprobs: { snake: "logprobs", check: bool },
};

function checkStopStrings(value: unknown, name: string): string[] {
  // HF accepts a single string as well as a list.
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) return fail(name, "an array of non-empty strings", value);
  return list.map((s, i) => (typeof s === "string" && s.length > 0 ? s : fail(`${name}[${i}]`, "a non-empty string", s)));
}

function checkTokenIds(value: unknown, name: string): number[] {
  if (!Array.isArray(value)) return fail(name, "an array of token ids", value);
  return value.map((id, i) => int(id, `${name}[${i}]`, 0, "a token id (integer >= 0)"));
}

const FIELDS = Object.keys(CHECKS) as Field[];
const BY_KEY = new Map<string, Field>();
for (const f of FIELDS) {
  BY_KEY.set(f, f);
  BY_KEY.set(CHECKS[f].snake, f);
}

/**
 * Parses decoding options from untrusted input (a request body, a stored
 * config, the decoding part of an HF generation_config.json). Accepts camelCase
 * and snake_case keys, fills defaults, and throws an EngineError naming the key
 * and value for anything invalid or unknown. Never clamps. A key whose value is
 * `undefined` counts as absent (JSON cannot carry it; optional TS fields can).
 * With `limits.contextLength`, max_new_tokens must also fit the model's context.
 */
export function parseDecodingConfig(input: unknown, limits: DecodingLimits = {}): DecodingConfig {
  if (input === undefined) return { ...DEFAULT_DECODING_CONFIG, stopStrings: [], stopTokenIds: [] };
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new EngineError(`decoding config must be an object, got ${show(input)}`);
  }
  const out: Record<string, unknown> = { ...DEFAULT_DECODING_CONFIG, stopStrings: [], stopTokenIds: [] };
  const givenAs = new Map<Field, string>();
  for (const [key, value] of Object.entries(input)) {
    const field = BY_KEY.get(key);
    if (field === undefined) {
      throw new EngineError(`unknown decoding option "${key}" (known: ${FIELDS.map((f) => CHECKS[f].snake).join(", ")})`);
    }
    if (value === undefined) continue;
    const previous = givenAs.get(field);
    if (previous !== undefined) throw new EngineError(`${CHECKS[field].snake} given twice (as ${previous} and ${key})`);
    givenAs.set(field, key);
    out[field] = (CHECKS[field].check as Checker<Field>)(value, key);
  }
  const config = out as unknown as DecodingConfig;
  checkCombination(config);
  checkLimits(config, limits, givenAs.get("maxNewTokens") ?? CHECKS.maxNewTokens.snake);
  return config;
}

/**
 * Checks a DecodingConfig built in code (not parsed): the same rules as
 * `parseDecodingConfig`, messages use snake_case names.
 */
export function validateDecodingConfig(config: DecodingConfig, limits: DecodingLimits = {}): void {
  for (const f of FIELDS) (CHECKS[f].check as Checker<Field>)(config[f], CHECKS[f].snake);
  checkCombination(config);
  checkLimits(config, limits, CHECKS.maxNewTokens.snake);
}

/** The model-dependent limit: `max_new_tokens must be ≤ 2048 (the model's context), got 100000`. */
function checkLimits(c: DecodingConfig, limits: DecodingLimits, maxNewTokensName: string): void {
  if (limits.contextLength !== undefined) atMost(c.maxNewTokens, maxNewTokensName, limits.contextLength, "the model's context");
}

/** Refuses combinations where an option would be silently ignored. */
function checkCombination(c: DecodingConfig): void {
  const filters: [string, boolean][] = [
    ["top_k", c.topK !== 0],
    ["top_p", c.topP !== 1],
    ["min_p", c.minP !== 0],
    ["typical_p", c.typicalP !== 1],
  ];
  const on = filters.filter(([, active]) => active).map(([name]) => name);
  if (c.temperature === 0 && on.length > 0) {
    throw new EngineError(`${on.join(", ")} ha${on.length > 1 ? "ve" : "s"} no effect with temperature 0 (greedy); reset ${on.length > 1 ? "them" : "it"} or set temperature > 0`);
  }
  if (c.numBeams > 1) {
    // Beam search here is deterministic (HF num_beams > 1, do_sample=False): it
    // ranks beams by log-softmax of the penalized logits, so sampling options
    // have nothing to act on.
    if (on.length > 0) throw new EngineError(`${on.join(", ")} cannot be combined with num_beams > 1 (beam search is deterministic), got num_beams ${c.numBeams}`);
    if (c.temperature !== 1 && c.temperature !== 0) {
      throw new EngineError(`temperature must be 1 or 0 with num_beams > 1 (beam search is deterministic), got ${c.temperature}`);
    }
  } else {
    if (c.lengthPenalty !== 1) throw new EngineError(`length_penalty only applies to beam search (num_beams > 1), got ${c.lengthPenalty} with num_beams 1`);
    if (c.earlyStopping) throw new EngineError("early_stopping only applies to beam search (num_beams > 1), got true with num_beams 1");
  }
}

/** Serializes to snake_case JSON; `parseDecodingConfig` reads it back to an equal config. */
export function decodingConfigToJSON(c: DecodingConfig): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of FIELDS) {
    const v = c[f];
    out[CHECKS[f].snake] = Array.isArray(v) ? [...v] : v;
  }
  return out;
}
