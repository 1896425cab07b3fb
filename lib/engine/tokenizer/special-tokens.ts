import type { AddedToken } from "./added-tokens";
import { ChatTemplate } from "./chat-template";
import { isObject } from "./json";

/**
 * End-of-turn markers of common chat formats. Chat models stop on these
 * rather than on the tokenizer's EOS (Llama 3 ends turns with <|eot_id|>
 * while eos_token is <|end_of_text|>), so they count as EOS when the chat
 * template actually emits them.
 */
const END_OF_TURN = ["<|eot_id|>", "<|eom_id|>", "<|im_end|>", "<end_of_turn>", "<|end|>", "<|endoftext|>"];

/** Special-token names tokenizer_config.json may set, passed to chat templates. */
const TEMPLATE_TOKEN_KEYS = ["bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token"];

/** tokenizer_config.json writes special tokens as "text" or {content: "text", ...}. */
export function tokenText(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (isObject(value) && typeof value.content === "string") return value.content;
  return null;
}

/** The special-token strings a chat template sees (bos_token, eos_token, ...). */
export function templateTokens(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of TEMPLATE_TOKEN_KEYS) {
    const text = tokenText(config[key]);
    if (text) out[key] = text;
  }
  return out;
}

/** EOS ids: the configured ones, then end-of-turn special tokens the chat template emits. */
export function collectEosIds(
  configured: readonly (number | null | undefined)[],
  addedTokens: readonly AddedToken[],
  template: ChatTemplate | null,
): number[] {
  const ids: number[] = [];
  const add = (id: number | null | undefined): void => {
    if (id !== null && id !== undefined && !ids.includes(id)) ids.push(id);
  };
  configured.forEach(add);
  if (template) {
    for (const token of addedTokens) {
      if (token.special && END_OF_TURN.includes(token.content) && template.source.includes(token.content)) add(token.id);
    }
  }
  return ids;
}

/** tokenizer_config.json's chat_template: a string, or a list of {name, template} where "default" wins. */
export function pickChatTemplate(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (!Array.isArray(value)) return null;
  const named = value.filter(isObject);
  const chosen = named.find((t) => t.name === "default") ?? named[0];
  return chosen && typeof chosen.template === "string" ? chosen.template : null;
}

/** Compiles a chat template once, or returns null when the model has none. */
export function compileTemplate(
  text: string | null,
  tokens: Record<string, string>,
  source: string,
): ChatTemplate | null {
  return text === null ? null : new ChatTemplate(text, tokens, source);
}
