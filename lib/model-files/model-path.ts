import path from "node:path";
import { env } from "@/lib/env";
import { isHubModelId } from "@/lib/hub/model-id";

/**
 * "demo" (or empty) means MODEL_PATH; an `hf:` Hub id stays as it is (the loaders fetch it); anything
 * else is a path to a HF folder or .gguf file. Here rather than in the generate job so that routes
 * (the import page's prompt-length check) resolve a project's model without loading job handler code.
 */
export function resolveModelPath(modelId: string): string {
  const spec = modelId === "demo" || modelId === "" ? env().MODEL_PATH : modelId;
  return isHubModelId(spec) ? spec : path.resolve(spec);
}
