/** Where completions come from: the built-in engine, or an OpenAI-compatible server. */
import type { DecodingConfig } from "@/lib/engine/sampling";
import { z } from "zod";
import { env, SOURCE_KEY_PREFIX, sourceKeyNamePattern } from "@/lib/env";
import { sourceUrlProblem } from "./outbound";

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

/** The largest `max_tokens` ever sent to a remote source; a source may set a lower one. */
export const MAX_SOURCE_TOKENS = 32_768;

/** A project's completion source setting (stored in projects.completion_source). */
export const completionSourceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("builtin") }),
  z.object({
    type: z.literal("openai"),
    // Checked again at connect time on every address the host resolves to (lib/generation/outbound.ts).
    baseUrl: z.string().max(2000).superRefine((u, ctx) => {
      const problem = sourceUrlProblem(u, { allowPrivate: env().STUDIO_ALLOW_PRIVATE_SOURCES });
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    model: z.string().trim().min(1).max(200),
    /** Name of a STUDIO_SOURCE_KEY_* environment variable holding the API key (the key itself is never stored). */
    apiKeyEnv: z.string().regex(sourceKeyNamePattern, `must name a variable starting with ${SOURCE_KEY_PREFIX} (A-Z, 0-9, _)`).optional(),
    /** Upper bound on a preset's max_new_tokens for this source. */
    maxTokens: z.number().int().min(1).max(MAX_SOURCE_TOKENS).optional(),
    /** The served model's context length in tokens, when known: max_new_tokens must stay below it. */
    contextLength: z.number().int().min(2).max(10_000_000).optional(),
  }),
]);
export type CompletionSourceConfig = z.infer<typeof completionSourceSchema>;
export type OpenAiSourceConfig = Extract<CompletionSourceConfig, { type: "openai" }>;

/** The most tokens one request to `source` may ask for: its own cap, and below its context when known. */
export function sourceTokenLimit(source: Pick<OpenAiSourceConfig, "maxTokens" | "contextLength">): number {
  return Math.min(source.maxTokens ?? MAX_SOURCE_TOKENS, source.contextLength !== undefined ? source.contextLength - 1 : Infinity);
}

/** A prompt as chat messages: its own, or a plain-text prompt as one user turn. */
export function promptAsMessages(p: PromptContent): { role: string; content: string }[] {
  return p.messages && p.messages.length > 0 ? p.messages : [{ role: "user", content: p.text ?? "" }];
}
