import "server-only";
import { z } from "zod";
import type { DecodingConfig } from "@/lib/engine/sampling";
import { promptAsMessages, type CompletionSource, type GeneratedCompletion } from "./source";

const responseSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }), finish_reason: z.string().nullable().optional() })).min(1),
  usage: z.object({ completion_tokens: z.number() }).optional(),
});

/**
 * An OpenAI-compatible chat endpoint (vLLM, Ollama, TGI, llama.cpp server).
 * Each config becomes one request with the sampling fields those servers
 * share; fields they lack (min_p, typical_p, beams) are sent as the
 * extensions vLLM and llama.cpp accept and ignored by servers that don't.
 */
export function openOpenAiSource(opts: { baseUrl: string; model: string; apiKey?: string; timeoutMs?: number }): CompletionSource {
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/v1/chat/completions`;
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
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...(opts.apiKey ? { authorization: `Bearer ${opts.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(opts.timeoutMs ?? 120_000)]),
    });
    if (!res.ok) throw new Error(`${url} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    const parsed = responseSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error(`${url} sent a response that is not an OpenAI chat completion: ${parsed.error.issues[0]?.message}`);
    const choice = parsed.data.choices[0];
    return { text: choice.message.content ?? "", tokenCount: parsed.data.usage?.completion_tokens ?? 0, finishReason: choice.finish_reason ?? "stop", logprobs: null };
  }
  return {
    modelId: `openai:${opts.model}`,
    async generate(prompt, configs, signal) {
      const messages = promptAsMessages(prompt);
      return Promise.all(configs.map((c) => one(messages, c, signal)));
    },
    close: async () => undefined,
  };
}
