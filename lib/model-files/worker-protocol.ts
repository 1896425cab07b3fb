/** Messages between GenerationWorkerPool and its worker threads (structured-clone safe). */
import type { GenerateEvent } from "@/lib/engine/generate";
import type { WeightFormat } from "@/lib/engine/models/linear";
import type { DecodingConfig } from "@/lib/engine/sampling";
import type { ChatMessage } from "@/lib/engine/tokenizer/types";
import type { PromptFailureKind } from "./prompt-fit";

export interface WorkerInit {
  modelPath: string;
  format: WeightFormat;
  /** Largest KV cache one request may ask for (bytes); see checkRequestFits. */
  kvBudgetBytes: number;
}

/**
 * One prompt, K configs. The prompt is token ids, or the real chat messages,
 * which the worker turns into ids with the model's chat template
 * (lib/engine/tokenizer/conversation.ts), as reward features do.
 */
export type GenerateRequest = {
  configs: DecodingConfig[];
  /**
   * Absent or false: a prompt that does not leave room for every config's max_new_tokens is
   * refused (PromptError "too_long"). True: it is generated until the context is full.
   */
  stopAtContext?: boolean;
} & ({ promptIds: number[] } | { messages: ChatMessage[] });

export type ToWorker = { type: "generate"; id: number; request: GenerateRequest } | { type: "abort"; id: number };

export interface ModelInfo {
  family: string;
  architecture: string;
  vocabSize: number;
  maxSeqLen: number;
  hasTokenizer: boolean;
}

export type FromWorker =
  | { type: "ready"; info: ModelInfo }
  | { type: "init-error"; message: string }
  | { type: "event"; id: number; event: GenerateEvent }
  | { type: "end"; id: number }
  /** `prompt` is set when the request failed because of its prompt (the pool throws a PromptError). */
  | { type: "error"; id: number; message: string; prompt?: PromptFailureKind };
