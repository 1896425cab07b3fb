import "server-only";
import { z } from "zod";
import type { DecodingConfig } from "@/lib/engine/sampling";
import { env, sourceApiKey } from "@/lib/env";
import { logExcerpt, postJson, type Resolver } from "./outbound";
import { promptAsMessages, sourceTokenLimit, type CompletionSource, type GeneratedCompletion, type OpenAiSourceConfig } from "./source";

const responseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: z.object({ completion_tokens: z.number() }).optional(),
});

/** A chat completion is a few KB; anything near this is not one. */
const MAX_REPLY_BYTES = 8 * 1024 * 1024;

export interface OpenAiSourceOptions {
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
  /** Loopback, link-local and private addresses are refused unless this is set (STUDIO_ALLOW_PRIVATE_SOURCES). */
  allowPrivate: boolean;
  /** Largest max_tokens a request may carry (sourceTokenLimit). */
  maxTokens: number;
  /** For tests: how host names resolve (the system's resolver otherwise). */
  resolve?: Resolver;
}

/**
 * An OpenAI-compatible chat endpoint (vLLM, Ollama, TGI, llama.cpp server).
 * Each config becomes one request with the sampling fields those servers
 * share; fields they lack (min_p, typical_p, beams) are sent as the
 * extensions vLLM and llama.cpp accept and ignored by servers that don't.
 * What the endpoint answers on failure goes to the server log only: job
 * errors, which staff read, carry the status and a fixed message.
 */
export function openOpenAiSource(opts: OpenAiSourceOptions): CompletionSource {
  const url = new URL(`${opts.baseUrl.replace(/\/+$/, "")}/v1/chat/completions`);
  const where = url.origin;
  async function one(messages: { role: string; content: string }[], c: DecodingConfig, signal: AbortSignal): Promise<GeneratedCompletion> {
    const body = {
      model: opts.model,
      messages,
      max_tokens: c.maxNewTokens,
      temperature: c.temperature,
      top_p: c.topP,
      seed: c.seed,
      frequency_penalty: c.frequencyPenalty,
      presence_penalty: c.presencePenalty,
      stop: c.stopStrings.length ? c.stopStrings : undefined,
      ...(c.topK > 0 ? { top_k: c.topK } : {}),
      ...(c.minP > 0 ? { min_p: c.minP } : {}),
      ...(c.repetitionPenalty !== 1 ? { repetition_penalty: c.repetitionPenalty } : {}),
    };
    const reply = await postJson(url, body, {
      headers: opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {},
      signal: AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs ?? 120_000)]),
      allowPrivate: opts.allowPrivate,
      maxBytes: MAX_REPLY_BYTES,
      resolve: opts.resolve,
    });
    if (reply.status >= 300 && reply.status < 400) {
      throw new Error(`the completion source at ${where} answered with a redirect (HTTP ${reply.status}), which is not followed; set its final URL as the base URL`);
    }
    if (reply.status < 200 || reply.status >= 300) {
      console.warn(`[generation] ${where} answered HTTP ${reply.status}: ${logExcerpt(reply.body)}`);
      throw new Error(`the completion source at ${where} answered HTTP ${reply.status} (its reply is in the server log)`);
    }
    let json: unknown;
    try {
      json = JSON.parse(reply.body);
    } catch {
      // JSON.parse's message quotes the reply; keep it out of the stored error.
      console.warn(`[generation] ${where} sent a reply that is not JSON: ${logExcerpt(reply.body)}`);
      throw new Error(`the completion source at ${where} sent a reply that is not JSON (it is in the server log)`);
    }
    const parsed = responseSchema.safeParse(json);
    if (!parsed.success) throw new Error(`the completion source at ${where} sent a reply that is not an OpenAI chat completion: ${parsed.error.issues[0]?.message}`);
    const choice = parsed.data.choices[0];
    return { text: choice.message.content ?? "", tokenCount: parsed.data.usage?.completion_tokens ?? 0, finishReason: choice.finish_reason ?? "stop", logprobs: null };
  }
  return {
    modelId: `openai:${opts.model}`,
    async generate(prompt, configs, signal) {
      // Refused, not clamped: each completion stores the config it was made with.
      for (const c of configs) {
        if (c.maxNewTokens > opts.maxTokens) throw new Error(`max_new_tokens ${c.maxNewTokens} is above this completion source's limit of ${opts.maxTokens} tokens`);
      }
      const messages = promptAsMessages(prompt);
      return Promise.all(configs.map((c) => one(messages, c, signal)));
    },
    close: async () => undefined,
  };
}

/** Opens a project's OpenAI-compatible source: its key from a STUDIO_SOURCE_KEY_* variable, its limits from the setting. */
export function openConfiguredOpenAiSource(cfg: OpenAiSourceConfig): CompletionSource {
  return openOpenAiSource({
    baseUrl: cfg.baseUrl,
    model: cfg.model,
    apiKey: cfg.apiKeyEnv ? sourceApiKey(cfg.apiKeyEnv) : undefined,
    allowPrivate: env().STUDIO_ALLOW_PRIVATE_SOURCES,
    maxTokens: sourceTokenLimit(cfg),
  });
}
