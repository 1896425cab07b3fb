import "server-only";
import type { ModelVersionRow } from "@/db/queries/model-versions";
import { versionModelPath } from "@/lib/model-files/version-store";
import { openBuiltinSource } from "./builtin-source";
import { openConfiguredOpenAiSource } from "./openai-source";
import { completionSourceSchema, type CompletionSource } from "./source";

/** What completions of a trained version record as their model id. */
export const trainedModelId = (version: Pick<ModelVersionRow, "name">) => `version:${version.name}`;

/**
 * The completion source of a stored version: an endpoint's OpenAI-compatible
 * server (its settings are checked again here, as when a project's own source
 * is opened) or a trained version's HF folder in the built-in engine. The
 * "base" version is the project's own model or source, which the generation
 * job opens from the project row.
 */
export async function openVersionSource(version: ModelVersionRow): Promise<CompletionSource> {
  if (version.kind === "endpoint") {
    const parsed = completionSourceSchema.safeParse(version.source);
    if (!parsed.success || parsed.data.type !== "openai") throw new Error(`model version "${version.name}": its endpoint settings are invalid: ${parsed.error?.issues[0]?.message ?? "not an OpenAI-compatible source"}`);
    return openConfiguredOpenAiSource(parsed.data);
  }
  if (version.kind === "trained") return openBuiltinSource({ modelPath: versionModelPath(version), modelId: trainedModelId(version) });
  throw new Error(`model version "${version.name}" is the project's own model: open it from the project`);
}
