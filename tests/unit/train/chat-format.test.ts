import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { promptIds, tokenizerFromJson } from "@/lib/engine/tokenizer";
import type { Tokenizer } from "@/lib/engine/tokenizer";
import { specialIds, toTokenizerJson, trainBpe } from "@/lib/train/bpe-train";
import { encodeSft } from "@/lib/train/chat-format";
import { hfTokenizer } from "@/lib/train/export-hf";
import { randomTexts } from "../engine/tokenizer/fixtures";

const demoDir = path.resolve(import.meta.dirname, "../../../models/demo");
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(demoDir, file), "utf8"));
const demo = tokenizerFromJson(readJson("tokenizer.json"), readJson("tokenizer_config.json"), "models/demo");

/** The encodeSft this path replaced: ChatML written by hand, prompt and response + <|im_end|> encoded apart. */
function handWrittenChatmlSft(tok: Tokenizer, prompt: string, response: string): { tokens: number[]; targets: number[] } {
  const head = tok.encode(`<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n`, { addSpecialTokens: false });
  const all = [...head, ...tok.encode(`${response}<|im_end|>`, { addSpecialTokens: false })];
  const n = all.length - 1;
  return { tokens: all.slice(0, n), targets: all.slice(1).map((id, t) => (t >= head.length - 1 ? id : -1)) };
}

/** Prompt/response pairs like the demo's tasks, plus edge cases at the prompt/reply boundary. */
const PAIRS: [string, string][] = [
  ["Sort: pear fig apple", "apple fig pear"],
  ["What is 12 plus 30?", "42"],
  ["Reverse the words: red green blue", "blue green red"],
  ["Convert 3 km to m.", "3000 m"],
  ["Count the letter r in \"strawberry\".", "3"],
  ["Tell a story about a fox.", "Once upon a time, a fox ran.\nThe end."],
  ["x", " leading space"],
  ["y", "\nleading newline"],
  ["z", "\n\n  two newlines and spaces"],
  ["trailing", "ends with space "],
  ["unicode ✓", "héllo wörld — 日本 😀"],
  ["code", "x = [1, 2];\n\tprint(x)"],
];

describe("encodeSft", () => {
  it("masks the loss to exactly the reply and its end-of-turn id, after generation's prompt ids", () => {
    const messages = [
      { role: "system", content: "Answer in a few words." },
      { role: "user", content: "Sort: pear fig" },
      { role: "assistant", content: "fig pear" },
      { role: "user", content: "Reverse: red blue" },
    ];
    const ex = encodeSft(demo, messages, "blue red");
    const prompt = promptIds(demo, messages);
    expect(Array.from(ex.tokens.slice(0, prompt.length))).toEqual(prompt);
    const learned = Array.from(ex.targets).filter((t) => t !== -1);
    expect(learned).toEqual([...demo.encode("blue red", { addSpecialTokens: false }), demo.tokenToId("<|im_end|>")]);
    // Every position from the last prompt token on predicts a reply id; none before.
    expect(Array.from(ex.targets).findIndex((t) => t !== -1)).toBe(prompt.length - 1);
    expect(ex.targets.length).toBe(ex.tokens.length);
    expect(ex.tokens.at(-1)).toBe(ex.targets.at(-2));
  });

  it("gives the demo model the token stream the hand-written ChatML encoder gave", () => {
    const random = randomTexts(7, 200).filter((t) => t.trim() !== "" && !t.includes("<|im_"));
    const pairs = [...PAIRS, ...random.slice(0, 100).map((p, i): [string, string] => [p, random[100 + i] ?? "ok"])];
    for (const [prompt, response] of pairs) {
      const ex = encodeSft(demo, [{ role: "user", content: prompt }], response);
      const old = handWrittenChatmlSft(demo, prompt, response);
      expect({ tokens: Array.from(ex.tokens), targets: Array.from(ex.targets) }, JSON.stringify([prompt, response])).toEqual(old);
    }
  });
});

describe("hfTokenizer", () => {
  it("frames a trained tokenizer's prompts in ChatML without BOS and stops at <|im_end|> only", () => {
    const bpe = trainBpe(PAIRS.flat(), 50);
    const tok = hfTokenizer(toTokenizerJson(bpe), 64, specialIds(bpe));
    const imEnd = bpe.special.get("<|im_end|>")!;
    expect(tok.eosIds).toEqual([imEnd]);
    const ids = promptIds(tok, [{ role: "user", content: "Sort: b a" }]);
    expect(tok.decode(ids)).toBe("<|im_start|>user\nSort: b a<|im_end|>\n<|im_start|>assistant\n");
    expect(ids[0]).toBe(bpe.special.get("<|im_start|>"));
  });
});
