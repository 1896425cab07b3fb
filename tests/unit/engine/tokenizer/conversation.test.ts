import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { conversationIds, keepLast, plainTextIds, promptIds, tokenizerFromJson } from "@/lib/engine/tokenizer";
import type { ChatMessage, Tokenizer } from "@/lib/engine/tokenizer";
import { CONVERSATION, gpt2TokenizerJson, readLenmlFiles } from "./fixtures";

const demoDir = path.resolve(import.meta.dirname, "../../../../models/demo");
const readJson = (file: string): unknown => JSON.parse(readFileSync(path.join(demoDir, file), "utf8"));

function load(name: "demo" | "llama2" | "llama3" | "gemma3", config?: Record<string, unknown>): Tokenizer {
  if (name === "demo") return tokenizerFromJson(readJson("tokenizer.json"), config ?? readJson("tokenizer_config.json"), "demo");
  const files = readLenmlFiles(name);
  return tokenizerFromJson(files.json, config ?? files.config, name);
}

const REPLY = "2 + 2 = 4, times 3 is 12.";
const bare = (tok: Tokenizer, text: string) => tok.encode(text, { addSpecialTokens: false });
const withReply = (messages: readonly ChatMessage[], reply: string) => [...messages, { role: "assistant", content: reply }];

describe("promptIds / conversationIds with a chat template", () => {
  const tokenizers = { demo: load("demo"), llama3: load("llama3"), gemma3: load("gemma3") };

  it.each(["demo", "llama3", "gemma3"] as const)(
    "gives generation's prompt ids as the prefix of the conversation's ids, up to the reply (%s, system + multi-turn)",
    (name) => {
      const tok = tokenizers[name];
      const prompt = promptIds(tok, CONVERSATION);
      const c = conversationIds(tok, CONVERSATION, REPLY);
      expect(prompt).toEqual(bare(tok, tok.applyChatTemplate(CONVERSATION, { addGenerationPrompt: true })));
      expect(c.replyStart).toBe(prompt.length);
      expect(c.ids.slice(0, c.replyStart)).toEqual(prompt);
      // HF's apply_chat_template: the whole rendered conversation encoded at once, without added BOS/EOS.
      const whole = bare(tok, tok.applyChatTemplate(withReply(CONVERSATION, REPLY)));
      expect(c.ids).toEqual(whole.slice(0, c.ids.length));
      expect(tok.decode(c.ids.slice(c.replyStart), { skipSpecialTokens: true }).trim()).toBe(REPLY);
    },
  );

  it("ends at the reply's end-of-turn id, dropping what the template writes after it", () => {
    const { demo, llama3 } = tokenizers;
    const chatml = conversationIds(demo, CONVERSATION, REPLY);
    expect(chatml.ids.at(-1)).toBe(demo.tokenToId("<|im_end|>"));
    expect(demo.decode(bare(demo, demo.applyChatTemplate(withReply(CONVERSATION, REPLY))).slice(chatml.ids.length))).toBe("\n");
    // This Llama 3 template appends the next assistant header after every conversation.
    const l3 = conversationIds(llama3, CONVERSATION, REPLY);
    expect(l3.ids.at(-1)).toBe(llama3.tokenToId("<|eot_id|>"));
    const rest = bare(llama3, llama3.applyChatTemplate(withReply(CONVERSATION, REPLY))).slice(l3.ids.length);
    expect(llama3.decode(rest)).toBe("<|start_header_id|>assistant<|end_header_id|>\n\n");
  });

  it("writes BOS once when the template writes it and the tokenizer would add it too (Gemma 3)", () => {
    const tok = tokenizers.gemma3;
    expect(tok.addBosToken).toBe(true);
    const { ids } = conversationIds(tok, CONVERSATION, REPLY);
    expect(ids[0]).toBe(tok.bosId);
    expect(ids.filter((id) => id === tok.bosId)).toHaveLength(1);
  });

  it("rejects an empty conversation and a template whose reply turn does not extend its generation prompt", () => {
    expect(() => promptIds(tokenizers.demo, [])).toThrow(/at least one message/);
    const template = "{% for m in messages %}{{ m['role'] + ': ' + m['content'] + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ 'assistant: <think>' }}{% endif %}";
    const odd = load("demo", { chat_template: template });
    expect(promptIds(odd, [{ role: "user", content: "hi" }])).toEqual(bare(odd, "user: hi\nassistant: <think>"));
    expect(() => conversationIds(odd, [{ role: "user", content: "hi" }], "yo")).toThrow(/does not follow its generation prompt/);
  });
});

describe("without a chat template (fallback)", () => {
  it("joins the contents by blank lines, prepends the tokenizer's BOS and puts the reply after a blank line", () => {
    const tok = load("llama2");
    expect(tok.chatTemplate).toBeNull();
    const bos = tok.bosId!;
    const messages = [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi there" }];
    const prompt = promptIds(tok, messages);
    expect(prompt).toEqual([bos, ...bare(tok, "Be brief.\n\nHi there\n\n")]);
    const c = conversationIds(tok, messages, "Hello!\n");
    expect(c.ids.slice(0, c.replyStart)).toEqual(prompt);
    // No end-of-turn id exists here: the trailing newline is dropped and no EOS is added.
    expect(c.ids).toEqual([bos, ...bare(tok, "Be brief.\n\nHi there\n\nHello!")]);
    expect(plainTextIds(tok, "Once upon")).toEqual([bos, ...bare(tok, "Once upon")]);
  });

  it("encodes the reply on its own when a merge would cross the end of the prompt (GPT-2's \\n\\n)", () => {
    const tok = tokenizerFromJson(gpt2TokenizerJson());
    const messages = [{ role: "user", content: "Hi" }];
    const c = conversationIds(tok, messages, "there");
    expect(c.ids.slice(0, c.replyStart)).toEqual(promptIds(tok, messages));
    expect(c.ids.slice(c.replyStart)).toEqual(bare(tok, "there"));
    // Encoded whole, "\n\n" + "there" splits differently: the prompt's ids would not be a prefix.
    expect(bare(tok, "Hi\n\nthere").slice(0, c.replyStart)).not.toEqual(c.ids.slice(0, c.replyStart));
    expect(plainTextIds(tok, "Hi")).toEqual(bare(tok, "Hi"));
  });
});

describe("keepLast", () => {
  const c = { ids: [1, 2, 3, 4, 5, 6], replyStart: 4 };

  it("keeps the last tokens and moves the reply start with the cut", () => {
    expect(keepLast(c, 6)).toBe(c);
    expect(keepLast(c, 4)).toEqual({ ids: [3, 4, 5, 6], replyStart: 2 });
    expect(keepLast(c, 1)).toEqual({ ids: [6], replyStart: 0 });
  });

  it("rejects a length that is not a positive integer", () => {
    expect(() => keepLast(c, 0)).toThrow("maxTokens must be a positive integer, got 0");
    expect(() => keepLast(c, 2.5)).toThrow(/got 2.5/);
  });
});
