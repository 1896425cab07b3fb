/**
 * SFT examples through the one prompt → tokens path (lib/engine/tokenizer/conversation.ts):
 * the model's chat template on the real messages plus the reply, with the loss
 * on the reply and its end-of-turn id only, so training data is exactly what
 * generation sees as prompt + reply.
 */
import { conversationIds } from "@/lib/engine/tokenizer";
import type { ChatMessage, Tokenizer } from "@/lib/engine/tokenizer";

/** One SFT example: inputs and next-token targets, -1 on prompt positions (loss on the response only). */
export interface SftExample {
  tokens: Int32Array;
  targets: Int32Array;
}

/**
 * Encodes messages + reply (ids, n of them) into tokens = ids[0, n-1) and
 * targets = ids[1, n), masking every target before the reply so the model
 * learns to answer and stop, not to echo prompts.
 */
export function encodeSft(tokenizer: Tokenizer, messages: readonly ChatMessage[], reply: string): SftExample {
  const { ids, replyStart } = conversationIds(tokenizer, messages, reply);
  const n = ids.length - 1;
  const tokens = Int32Array.from(ids.slice(0, n));
  const targets = new Int32Array(n).fill(-1);
  // Position t predicts ids[t + 1]: a reply id from t = replyStart - 1 on.
  for (let t = Math.max(0, replyStart - 1); t < n; t++) targets[t] = ids[t + 1]!;
  return { tokens, targets };
}
