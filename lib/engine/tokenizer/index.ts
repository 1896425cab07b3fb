/**
 * Tokenizers and chat templates for the engine: byte-level BPE (GPT-2,
 * Llama 3, Qwen) and SentencePiece-style BPE with byte fallback (Llama 2),
 * loaded from tokenizer.json or GGUF metadata.
 */
export type { ChatMessage, StreamDecoder, Tokenizer } from "./types";
export { tokenizerFromJson } from "./from-json";
export { tokenizerFromGguf } from "./from-gguf";
export type { ConversationIds } from "./conversation";
export { conversationIds, keepLast, plainTextIds, promptIds } from "./conversation";
