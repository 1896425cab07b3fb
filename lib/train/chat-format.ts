/** Anything that turns text (special tokens included) into ids: the trainer's BpeCodec or an engine Tokenizer. */
export interface TextEncoderLike {
  encode(text: string): number[];
}

/** ChatML framing used for training, the exported chat_template and evaluation prompts alike. */
export function chatPrompt(prompt: string): string {
  return `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n`;
}

export const END_OF_TURN = "<|im_end|>";

/** One SFT example: inputs and next-token targets, -1 on prompt positions (loss on the response only). */
export interface SftExample {
  tokens: Int32Array;
  targets: Int32Array;
}

/**
 * Encodes prompt + response + <|im_end|> and masks the loss to the response
 * and its end marker, so the model learns to answer and stop, not to echo
 * prompts.
 */
export function encodeSft(codec: TextEncoderLike, prompt: string, response: string): SftExample {
  const head = codec.encode(chatPrompt(prompt));
  const tail = codec.encode(response + END_OF_TURN);
  const all = [...head, ...tail];
  const n = all.length - 1;
  const tokens = Int32Array.from(all.slice(0, n));
  const targets = new Int32Array(n).fill(-1);
  for (let t = head.length - 1; t < n; t++) targets[t] = all[t + 1]!;
  return { tokens, targets };
}
