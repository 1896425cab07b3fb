import { describe, expect, it } from "vitest";
import { tokenizerFromJson } from "@/lib/engine/tokenizer";
import { CONVERSATION, loadReference, readLenmlFiles } from "./fixtures";

function load(model: "llama3" | "qwen3" | "gemma3") {
  const { json, config } = readLenmlFiles(model);
  return tokenizerFromJson(json, config, `${model}/tokenizer.json`);
}

describe("chat templates", () => {
  it("renders Llama 3's template exactly as @lenml/tokenizers does", async () => {
    const ours = load("llama3");
    const reference = await loadReference("llama3");
    for (const addGenerationPrompt of [false, true]) {
      expect(ours.applyChatTemplate(CONVERSATION, { addGenerationPrompt })).toBe(
        reference.apply_chat_template(CONVERSATION, { tokenize: false, add_generation_prompt: addGenerationPrompt }),
      );
    }
  });

  it("tokenizes a rendered Llama 3 chat like @lenml/tokenizers", async () => {
    const ours = load("llama3");
    const reference = await loadReference("llama3");
    const text = ours.applyChatTemplate(CONVERSATION, { addGenerationPrompt: true });
    expect(ours.encode(text, { addSpecialTokens: false })).toEqual(reference.encode(text, { add_special_tokens: false }));
    expect(ours.eosIds).toEqual([ours.tokenToId("<|end_of_text|>"), ours.tokenToId("<|eot_id|>")]);
  });

  // @lenml/tokenizers' bundled Jinja cannot parse the Qwen3 and Gemma 3 templates
  // ("Expected closing statement token", "Unknown test: string"), so these
  // expectations are the formats the model cards document (ChatML, Gemma turns).
  it("renders Qwen3's ChatML with the generation prompt", () => {
    const ours = load("qwen3");
    expect(ours.applyChatTemplate(CONVERSATION, { addGenerationPrompt: true })).toBe(
      "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n" +
        "<|im_start|>user\nWhat is 2 + 2?<|im_end|>\n" +
        "<|im_start|>assistant\n2 + 2 = 4.<|im_end|>\n" +
        "<|im_start|>user\nAnd times 3?<|im_end|>\n" +
        "<|im_start|>assistant\n",
    );
    expect(ours.eosIds).toEqual([ours.tokenToId("<|im_end|>")]);
  });

  it("renders Gemma 3's turns with the system prompt folded into the first user turn", () => {
    const ours = load("gemma3");
    const expected =
      "<bos><start_of_turn>user\nYou are a helpful assistant.\n\nWhat is 2 + 2?<end_of_turn>\n" +
      "<start_of_turn>model\n2 + 2 = 4.<end_of_turn>\n" +
      "<start_of_turn>user\nAnd times 3?<end_of_turn>\n";
    expect(ours.applyChatTemplate(CONVERSATION)).toBe(expected);
    expect(ours.applyChatTemplate(CONVERSATION, { addGenerationPrompt: true })).toBe(`${expected}<start_of_turn>model\n`);
  });

  it("passes bos_token from tokenizer_config.json to the template", () => {
    const ours = load("gemma3");
    expect(ours.applyChatTemplate([{ role: "user", content: "x" }]).startsWith("<bos>")).toBe(true);
    expect(ours.bosId).toBe(2);
    expect(ours.addBosToken).toBe(true);
  });

  it("reports a template that raises, naming the file", () => {
    const ours = load("gemma3");
    expect(() => ours.applyChatTemplate([{ role: "user", content: "a" }, { role: "user", content: "b" }])).toThrow(
      /gemma3\/tokenizer.json: chat_template failed to render/,
    );
  });
});
