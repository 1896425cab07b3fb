/** Turns a request's prompt (ids, text, or a chat turn) into prompt ids with the model's tokenizer. */
import { EngineError } from "@/lib/engine/errors";
import type { Tokenizer } from "@/lib/engine/tokenizer";

export interface PromptInput {
  promptIds?: readonly number[];
  prompt?: string;
  /** Wrap `prompt` as one user message in the model's chat template (with the generation prompt). */
  chat?: boolean;
}

/**
 * Prompt ids for a request. Text is encoded with the tokenizer's special
 * tokens (BOS); a chat-templated prompt is encoded without them, since the
 * template writes its own (as HF's apply_chat_template does).
 * @throws EngineError when neither or both of prompt / promptIds are given, or text needs a missing tokenizer.
 */
export function resolvePromptIds(input: PromptInput, tokenizer: Tokenizer | null): number[] {
  const hasIds = input.promptIds !== undefined;
  const hasText = input.prompt !== undefined;
  if (hasIds === hasText) throw new EngineError("give exactly one of prompt (text) or promptIds");
  if (hasIds) {
    if (input.chat) throw new EngineError("chat needs a text prompt, not prompt ids");
    return [...input.promptIds!];
  }
  if (!tokenizer) throw new EngineError("this model has no tokenizer; pass prompt ids instead of text");
  if (input.chat) {
    if (!tokenizer.chatTemplate) throw new EngineError("this model has no chat template");
    const text = tokenizer.applyChatTemplate([{ role: "user", content: input.prompt! }], { addGenerationPrompt: true });
    return tokenizer.encode(text, { addSpecialTokens: false });
  }
  return tokenizer.encode(input.prompt!);
}
