/** Incremental detokenizer: concatenating every push() and the final flush() equals decode(ids). */
export interface StreamDecoder {
  /** Returns the text that became complete with this token; incomplete UTF-8 bytes are held back. */
  push(id: number): string;
  /** Returns whatever is still held back (invalid trailing bytes become U+FFFD). */
  flush(): string;
}

/** One chat message as chat templates expect it. */
export interface ChatMessage {
  role: string;
  content: string;
}

/** A text <-> token id codec for one model, with its chat template. */
export interface Tokenizer {
  /** Number of ids, including added tokens: every valid id is below it. */
  readonly vocabSize: number;
  readonly bosId: number | null;
  /** Ids that end generation: the configured EOS plus end-of-turn tokens the chat template emits. */
  readonly eosIds: number[];
  /** Whether encode() with addSpecialTokens prepends BOS. */
  readonly addBosToken: boolean;
  readonly chatTemplate: string | null;
  /** Text to ids; addSpecialTokens (default true) adds the BOS/EOS the tokenizer's post-processor asks for. */
  encode(text: string, opts?: { addSpecialTokens?: boolean }): number[];
  /** Ids to text; skipSpecialTokens drops special added tokens such as BOS. */
  decode(ids: readonly number[], opts?: { skipSpecialTokens?: boolean }): string;
  idToToken(id: number): string | undefined;
  tokenToId(token: string): number | undefined;
  createStreamDecoder(opts?: { skipSpecialTokens?: boolean }): StreamDecoder;
  /** Renders the chat template with messages, add_generation_prompt and the special-token strings. */
  applyChatTemplate(messages: ChatMessage[], opts?: { addGenerationPrompt?: boolean }): string;
}
