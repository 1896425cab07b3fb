import { describe, expect, it } from "vitest";
import { EngineError } from "@/lib/engine/errors";
import {
  DECODING_LIMITS,
  DEFAULT_DECODING_CONFIG,
  decodingConfigToJSON,
  parseDecodingConfig,
  validateDecodingConfig,
} from "@/lib/engine/sampling";
import type { DecodingConfig } from "@/lib/engine/sampling";

const refuse = (input: unknown, message: string | RegExp) => {
  expect(() => parseDecodingConfig(input)).toThrow(EngineError);
  expect(() => parseDecodingConfig(input)).toThrow(message);
};

describe("parseDecodingConfig", () => {
  it("fills every default from an empty object", () => {
    expect(parseDecodingConfig({})).toEqual({
      temperature: 1, topK: 0, topP: 1, minP: 0, typicalP: 1,
      repetitionPenalty: 1, frequencyPenalty: 0, presencePenalty: 0,
      numBeams: 1, lengthPenalty: 1, earlyStopping: false, maxNewTokens: 128,
      stopStrings: [], stopTokenIds: [], seed: 0, logprobs: false,
    });
    expect(parseDecodingConfig(undefined)).toEqual(DEFAULT_DECODING_CONFIG);
  });

  it("accepts snake_case keys as HF generation_config.json spells them", () => {
    const c = parseDecodingConfig({
      temperature: 0.7, top_k: 40, top_p: 0.9, min_p: 0.05, typical_p: 0.95,
      repetition_penalty: 1.1, frequency_penalty: 0.5, presence_penalty: -0.5,
      max_new_tokens: 64, stop_strings: ["\n\n"], stop_token_ids: [2], seed: 7, logprobs: true,
    });
    expect(c).toMatchObject({ temperature: 0.7, topK: 40, topP: 0.9, minP: 0.05, typicalP: 0.95,
      repetitionPenalty: 1.1, frequencyPenalty: 0.5, presencePenalty: -0.5, maxNewTokens: 64,
      stopStrings: ["\n\n"], stopTokenIds: [2], seed: 7, logprobs: true });
  });

  it("accepts camelCase keys", () => {
    expect(parseDecodingConfig({ topP: 0.5, topK: 3, maxNewTokens: 3, stopTokenIds: [1] })).toMatchObject({
      topP: 0.5, topK: 3, maxNewTokens: 3, stopTokenIds: [1],
    });
    expect(parseDecodingConfig({ numBeams: 2, lengthPenalty: 0.5, earlyStopping: true, temperature: 0 })).toMatchObject({
      numBeams: 2, lengthPenalty: 0.5, earlyStopping: true, temperature: 0,
    });
  });

  it("reads HF's early_stopping \"never\" as false (the exact-bound stop) and a single stop string as a list", () => {
    expect(parseDecodingConfig({ num_beams: 2, early_stopping: "never" }).earlyStopping).toBe(false);
    expect(parseDecodingConfig({ stop_strings: "###" }).stopStrings).toEqual(["###"]);
  });

  it.each([
    [{ top_p: 1.5 }, "top_p must be in (0, 1], got 1.5"],
    [{ top_p: 0 }, "top_p must be in (0, 1], got 0"],
    [{ topP: 2 }, "topP must be in (0, 1], got 2"],
    [{ top_k: -1 }, "top_k must be an integer >= 0 (0 disables it), got -1"],
    [{ top_k: 2.5 }, "top_k must be an integer >= 0 (0 disables it), got 2.5"],
    [{ temperature: -0.1 }, "temperature must be >= 0 (0 means greedy), got -0.1"],
    [{ temperature: Number.NaN }, "temperature must be a finite number, got NaN"],
    [{ temperature: Number.POSITIVE_INFINITY }, "temperature must be a finite number, got Infinity"],
    [{ max_new_tokens: 0 }, "max_new_tokens must be an integer >= 1, got 0"],
    [{ num_beams: 0 }, "num_beams must be an integer >= 1, got 0"],
    [{ min_p: 1.01 }, "min_p must be in [0, 1], got 1.01"],
    [{ typical_p: 0 }, "typical_p must be in (0, 1], got 0"],
    [{ repetition_penalty: 0 }, "repetition_penalty must be > 0 (1 disables it), got 0"],
    [{ frequency_penalty: 2.5 }, "frequency_penalty must be in [-2, 2], got 2.5"],
    [{ presence_penalty: -3 }, "presence_penalty must be in [-2, 2], got -3"],
    [{ seed: -1 }, "seed must be a non-negative safe integer, got -1"],
    [{ seed: 2 ** 53 }, "seed must be a non-negative safe integer, got 9007199254740992"],
    [{ length_penalty: Number.NaN, num_beams: 2 }, "length_penalty must be a finite number, got NaN"],
  ])("refuses %j with a message naming the field and value", (input, message) => {
    refuse(input, message);
  });

  it.each([
    [{ top_p: "0.9" }, 'top_p must be a finite number, got "0.9"'],
    [{ top_k: null }, "top_k must be an integer >= 0 (0 disables it), got null"],
    [{ logprobs: 1 }, "logprobs must be a boolean, got 1"],
    [{ early_stopping: "yes", num_beams: 2 }, 'early_stopping must be a boolean, got "yes"'],
    [{ stop_strings: [""] }, 'stop_strings[0] must be a non-empty string, got ""'],
    [{ stop_strings: 3 }, "stop_strings must be an array of non-empty strings, got 3"],
    [{ stop_token_ids: [1, -2] }, "stop_token_ids[1] must be a token id (integer >= 0), got -2"],
    [{ stop_token_ids: "2" }, 'stop_token_ids must be an array of token ids, got "2"'],
  ])("refuses the wrong type in %j", (input, message) => {
    refuse(input, message);
  });

  it("refuses unknown keys, listing the known ones", () => {
    refuse({ top_q: 0.9 }, /unknown decoding option "top_q" \(known: temperature, top_k, top_p/);
    refuse({ do_sample: true }, /unknown decoding option "do_sample"/);
  });

  it("treats undefined values as absent but refuses null", () => {
    expect(parseDecodingConfig({ top_p: undefined, topK: undefined }).topP).toBe(1);
    refuse({ top_p: null }, "top_p must be a finite number, got null");
    refuse({ top_q: undefined }, /unknown decoding option "top_q"/);
  });

  it("refuses a field given under both spellings", () => {
    refuse({ top_p: 0.9, topP: 0.8 }, "top_p given twice (as top_p and topP)");
  });

  it("refuses a non-object", () => {
    refuse(null, "decoding config must be an object, got null");
    refuse([1], "decoding config must be an object, got [1]");
    refuse("top_p=1", 'decoding config must be an object, got "top_p=1"');
  });

  it("refuses sampling filters with greedy decoding instead of ignoring them", () => {
    refuse({ temperature: 0, top_p: 0.9 }, "top_p has no effect with temperature 0 (greedy)");
    refuse({ temperature: 0, top_k: 5, min_p: 0.1 }, "top_k, min_p have no effect with temperature 0 (greedy)");
    expect(parseDecodingConfig({ temperature: 0, seed: 3 }).temperature).toBe(0);
  });

  it("refuses sampling options with beam search, and beam options without it", () => {
    refuse({ num_beams: 4, top_k: 50 }, "top_k cannot be combined with num_beams > 1 (beam search is deterministic), got num_beams 4");
    refuse({ num_beams: 4, temperature: 0.7 }, "temperature must be 1 or 0 with num_beams > 1 (beam search is deterministic), got 0.7");
    refuse({ length_penalty: 2 }, "length_penalty only applies to beam search (num_beams > 1), got 2 with num_beams 1");
    refuse({ early_stopping: true }, "early_stopping only applies to beam search (num_beams > 1), got true with num_beams 1");
    expect(parseDecodingConfig({ num_beams: 4, temperature: 0, length_penalty: -1 }).lengthPenalty).toBe(-1);
  });

  it("bounds num_beams and max_new_tokens whatever the model, since the KV cache grows with both", () => {
    refuse({ num_beams: 64 }, "num_beams must be ≤ 16, got 64");
    refuse({ max_new_tokens: 1_000_000 }, "max_new_tokens must be ≤ 131072, got 1000000");
    refuse({ maxNewTokens: 1_000_000 }, "maxNewTokens must be ≤ 131072, got 1000000");
    expect(parseDecodingConfig({ num_beams: DECODING_LIMITS.numBeams }).numBeams).toBe(16);
    expect(parseDecodingConfig({ max_new_tokens: DECODING_LIMITS.maxNewTokens }).maxNewTokens).toBe(131_072);
  });

  it("holds max_new_tokens to the model's context when it is given", () => {
    expect(() => parseDecodingConfig({ max_new_tokens: 100_000 }, { contextLength: 2048 })).toThrow("max_new_tokens must be ≤ 2048 (the model's context), got 100000");
    expect(() => parseDecodingConfig({ maxNewTokens: 2049 }, { contextLength: 2048 })).toThrow("maxNewTokens must be ≤ 2048 (the model's context), got 2049");
    expect(parseDecodingConfig({ max_new_tokens: 2048 }, { contextLength: 2048 }).maxNewTokens).toBe(2048);
    // The default of 128 new tokens does not fit a 64-position model either.
    expect(() => parseDecodingConfig({}, { contextLength: 64 })).toThrow("max_new_tokens must be ≤ 64 (the model's context), got 128");
  });

  it("does not share the default arrays with the parsed config", () => {
    const c = parseDecodingConfig({});
    c.stopStrings.push("x");
    expect(DEFAULT_DECODING_CONFIG.stopStrings).toEqual([]);
  });
});

describe("decodingConfigToJSON", () => {
  it("writes snake_case keys that parse back to an equal config", () => {
    const c: DecodingConfig = parseDecodingConfig({
      temperature: 0.3, top_k: 7, top_p: 0.8, min_p: 0.02, typical_p: 0.9, repetition_penalty: 1.3,
      frequency_penalty: 1, presence_penalty: 0.5, max_new_tokens: 9, stop_strings: ["END", "\n"],
      stop_token_ids: [0, 5], seed: 123456789, logprobs: true,
    });
    const json = decodingConfigToJSON(c);
    expect(Object.keys(json)).toContain("max_new_tokens");
    expect(Object.keys(json).every((k) => k === k.toLowerCase())).toBe(true);
    expect(parseDecodingConfig(JSON.parse(JSON.stringify(json)))).toEqual(c);
    const beams = parseDecodingConfig({ num_beams: 3, length_penalty: 0.5, early_stopping: true });
    expect(parseDecodingConfig(decodingConfigToJSON(beams))).toEqual(beams);
  });
});

describe("validateDecodingConfig", () => {
  it("refuses a hand-built config with snake_case names in the message", () => {
    expect(() => validateDecodingConfig({ ...DEFAULT_DECODING_CONFIG, topP: 1.5 })).toThrow("top_p must be in (0, 1], got 1.5");
    expect(() => validateDecodingConfig({ ...DEFAULT_DECODING_CONFIG })).not.toThrow();
  });

  it("applies the same limits to a hand-built config", () => {
    expect(() => validateDecodingConfig({ ...DEFAULT_DECODING_CONFIG, numBeams: 17, temperature: 0 })).toThrow("num_beams must be ≤ 16, got 17");
    expect(() => validateDecodingConfig({ ...DEFAULT_DECODING_CONFIG, maxNewTokens: 300 }, { contextLength: 256 })).toThrow("max_new_tokens must be ≤ 256 (the model's context), got 300");
  });
});
