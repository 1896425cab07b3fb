/**
 * prefill() runs a prompt in chunks of session.maxRows and asks for no logits
 * before the last chunk; the last position's logits must not depend on that.
 */
import { describe, expect, it } from "vitest";
import { prefill } from "@/lib/engine/generate-steps";
import { modelFromHf } from "@/lib/engine/models/load";
import { randomGpt2, randomLlama } from "./golden/random-model";

const llama = randomLlama({ arch: "LlamaForCausalLM", dim: 64, nLayers: 2, nHeads: 4, nKvHeads: 2, hidden: 96, vocab: 260, ctx: 256, tied: true, seed: 5 });
const gpt2 = randomGpt2({ dim: 32, nLayers: 2, nHeads: 2, vocab: 260, ctx: 256, seed: 6 });

describe.each([["Llama", llama], ["GPT-2", gpt2]] as const)("prefill (%s)", (_name, m) => {
  it("gives the last position's logits of a prompt spanning several chunks, as one row at a time does", () => {
    const model = modelFromHf(m.config, m.tensors);
    const rows = model.createSession({ slots: 1, contextLength: 8 }).maxRows;
    const prompt = Array.from({ length: 2 * rows + 5 }, (_, i) => 3 + ((i * 97) % 250)); // three chunks
    const chunked = model.createSession({ slots: 1, contextLength: prompt.length });
    const got = prefill(chunked, prompt, 0);

    const single = model.createSession({ slots: 1, contextLength: prompt.length });
    let want = new Float32Array(0);
    prompt.forEach((id, pos) => {
      want = Float32Array.from(single.forward(Int32Array.of(id), Int32Array.of(0), Int32Array.of(pos), 1, "last"));
    });
    expect(got).toHaveLength(m.config.vocab_size as number);
    got.forEach((x, i) => expect(x).toBeCloseTo(want[i], 4));
  });

  it("returns no logits for \"none\"", () => {
    const s = modelFromHf(m.config, m.tensors).createSession({ slots: 1, contextLength: 8 });
    expect(s.forward(Int32Array.of(5, 6), Int32Array.of(0, 0), Int32Array.of(0, 1), 2, "none")).toHaveLength(0);
  });
});
