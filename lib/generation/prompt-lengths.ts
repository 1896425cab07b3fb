import { parseDecodingConfig } from "@/lib/engine/sampling";
import { openPromptMeter } from "@/lib/model-files/prompt-meter";
import type { DecodingPreset } from "./presets";
import { completionSourceSchema, promptAsMessages, type PromptContent } from "./source";

export interface TooLongPrompts {
  /** Indexes (into the list given) of the prompts whose tokens + max_new_tokens exceed the context. */
  indexes: number[];
  context: number;
  maxNewTokens: number;
}

/**
 * Which of these prompts the project's built-in model cannot generate for:
 * their chat-templated tokens plus the presets' largest max_new_tokens exceed
 * the model's context (the generation job would skip them). Null when it
 * cannot be told cheaply: an OpenAI-compatible source, a .gguf or not yet
 * downloaded Hub model, or a model path the worker would refuse.
 */
export async function findTooLongPrompts(
  project: { modelId: string; completionSource: unknown; decodingPresets: unknown },
  prompts: readonly PromptContent[],
): Promise<TooLongPrompts | null> {
  const source = completionSourceSchema.safeParse(project.completionSource ?? { type: "builtin" });
  const presets = project.decodingPresets as DecodingPreset[];
  if (!source.success || source.data.type !== "builtin" || presets.length === 0) return null;
  try {
    const meter = await openPromptMeter(project.modelId);
    if (!meter) return null;
    const maxNewTokens = Math.max(...presets.map((p) => parseDecodingConfig(p.config).maxNewTokens));
    const tooLong = (p: PromptContent) => {
      try {
        return meter.count(promptAsMessages(p)) + maxNewTokens > meter.context;
      } catch {
        return false; // a prompt the template refuses is the job's to report (it skips it with the reason)
      }
    };
    return { indexes: prompts.flatMap((p, i) => (tooLong(p) ? [i] : [])), context: meter.context, maxNewTokens };
  } catch {
    // A warning is a courtesy: a model that cannot be read here is reported by the generation job.
    return null;
  }
}
