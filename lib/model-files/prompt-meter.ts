/**
 * Counts a prompt's tokens with a project model's own tokenizer and chat
 * template, without loading its weights, so a prompt import can warn about
 * prompts too long for the model before generation meets them. Reads a
 * Hugging Face folder's config.json and tokenizer files only; a .gguf file (its
 * tokenizer lives in the weights file) or an `hf:` id not downloaded yet
 * cannot be measured this cheaply, and the generation job skips and reports
 * such prompts instead.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { configFromHf } from "@/lib/engine/models/config";
import { promptIds, tokenizerFromJson, type ChatMessage } from "@/lib/engine/tokenizer";
import { isHubModelId } from "@/lib/hub/model-id";
import { readJson } from "./load";
import { resolveModelPath } from "./model-path";

export interface PromptMeter {
  /** The model's context (positions). */
  context: number;
  /** Tokens the prompt's messages take through the chat template (what generation prefills). */
  count(messages: readonly ChatMessage[]): number;
}

/** A meter for the project's model, or null when it cannot be read without loading weights (see above). */
export async function openPromptMeter(modelId: string): Promise<PromptMeter | null> {
  const dir = await resolveModelPath(modelId);
  if (isHubModelId(dir)) return null;
  const files = ["config.json", "tokenizer.json", "tokenizer_config.json"].map((f) => path.join(dir, f));
  if (!files.slice(0, 2).every((f) => existsSync(f))) return null;
  const config = configFromHf(await readJson(files[0]), files[0]);
  const tokenizer = tokenizerFromJson(await readJson(files[1]), existsSync(files[2]) ? await readJson(files[2]) : undefined, files[1]);
  return { context: config.maxSeqLen, count: (messages) => promptIds(tokenizer, messages).length };
}
