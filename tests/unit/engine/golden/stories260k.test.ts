/**
 * stories260K (a real trained Llama, llama2.c) against its reference.json:
 * 200 greedy ids after BOS and raw logits at positions 0..7, from both the HF
 * folder (rotate-half q/k) and the GGUF (interleaved q/k, un-permuted at load).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { modelFromGguf, modelFromHf } from "@/lib/engine/models/load";
import type { CausalLM } from "@/lib/engine/models/types";
import { engineGreedy } from "./compare";

const root = path.resolve(import.meta.dirname, "../../../..");
const fixture = path.resolve(root, "../shared/fixtures/stories260K");
const present = existsSync(path.join(fixture, "reference.json"));

interface Reference {
  prompt_ids: number[];
  greedy_ids: number[];
  logits_positions_0_to_7: number[][];
}

function load(): { ref: Reference; models: [string, CausalLM][] } {
  const ref = JSON.parse(readFileSync(path.join(fixture, "reference.json"), "utf8")) as Reference;
  const cfg = JSON.parse(readFileSync(path.join(fixture, "hf/config.json"), "utf8"));
  const hf = modelFromHf(cfg, readSafetensors(readFileSync(path.join(fixture, "hf/model.safetensors"))).tensors);
  const gg = modelFromGguf(readGguf(readFileSync(path.join(fixture, "stories260K-f32.gguf"))));
  return { ref, models: [["hf", hf], ["gguf", gg]] };
}

describe.skipIf(!present)("stories260K reference", () => {
  const { ref, models } = present ? load() : { ref: null as unknown as Reference, models: [] };

  it.each(models)("%s: reproduces the 200 greedy ids exactly", (_name, model) => {
    const out = engineGreedy(model, ref.prompt_ids, 200);
    expect(out.ids).toEqual(ref.greedy_ids);
  });

  it.each(models)("%s: logits at positions 0..7 within 1e-4", (_name, model) => {
    const seq = [...ref.prompt_ids, ...ref.greedy_ids].slice(0, 8);
    const s = model.createSession({ slots: 1 });
    const logits = s.forward(Int32Array.from(seq), new Int32Array(8), Int32Array.from(seq.map((_, i) => i)), 8, "all");
    let maxDiff = 0;
    for (let p = 0; p < 8; p++) {
      for (let i = 0; i < 512; i++) maxDiff = Math.max(maxDiff, Math.abs(logits[p * 512 + i] - ref.logits_positions_0_to_7[p][i]));
    }
    expect(maxDiff).toBeLessThan(1e-4);
  });
});
