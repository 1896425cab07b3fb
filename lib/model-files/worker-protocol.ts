/** Messages between GenerationWorkerPool and its worker threads (structured-clone safe). */
import type { GenerateEvent } from "@/lib/engine/generate";
import type { WeightFormat } from "@/lib/engine/models/linear";
import type { DecodingConfig } from "@/lib/engine/sampling";
import type { ChatMessage } from "@/lib/engine/tokenizer/types";

export interface WorkerInit {
  modelPath: string;
  format: WeightFormat;
}

/**
 * One prompt, K configs. The prompt is token ids, or the real chat messages,
 * which the worker turns into ids with the model's chat template
 * (lib/engine/tokenizer/conversation.ts), as reward features do.
 */
export type GenerateRequest = { configs: DecodingConfig[] } & ({ promptIds: number[] } | { messages: ChatMessage[] });

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
  | { type: "error"; id: number; message: string };
