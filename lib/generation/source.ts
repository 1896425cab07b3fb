/** Where completions come from: the built-in engine, or an OpenAI-compatible server. */
import type { DecodingConfig } from "@/lib/engine/sampling";
import { z } from "zod";

export interface PromptContent {
  text: string | null;
  messages: { role: string; content: string }[] | null;
}

export interface GeneratedCompletion {
  text: string;
  tokenCount: number;
  finishReason: string;
  logprobs: number[] | null;
}

export interface CompletionSource {
  /** Recorded on each completion, e.g. "demo" or "openai:llama3.1-8b". */
  readonly modelId: string;
  /** One completion per config, in the same order. */
  generate(prompt: PromptContent, configs: DecodingConfig[], signal: AbortSignal): Promise<GeneratedCompletion[]>;
  close(): Promise<void>;
}

/** A project's completion source setting (stored in projects.completion_source). */
export const completionSourceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("builtin") }),
  z.object({
    type: z.literal("openai"),
    baseUrl: z.url().refine((u) => /^https?:\/\//.test(u), "must be an http(s) URL"),
    model: z.string().trim().min(1).max(200),
    /** Name of an environment variable holding the API key (the key itself is never stored). */
    apiKeyEnv: z.string().regex(/^[A-Z_][A-Z0-9_]*$/).optional(),
  }),
]);
export type CompletionSourceConfig = z.infer<typeof completionSourceSchema>;

/** A prompt as chat messages: its own, or a plain-text prompt as one user turn. */
export function promptAsMessages(p: PromptContent): { role: string; content: string }[] {
  return p.messages && p.messages.length > 0 ? p.messages : [{ role: "user", content: p.text ?? "" }];
}
