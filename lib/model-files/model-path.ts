import path from "node:path";
import { env } from "@/lib/env";

/**
 * "demo" (or empty) means the shipped model; anything else is a path to a HF folder or .gguf file.
 * Here rather than in the generate job so that routes (the import page's prompt-length check) can
 * resolve a project's model without loading job handler code.
 */
export function resolveModelPath(modelId: string): string {
  return path.resolve(modelId === "demo" || modelId === "" ? env().MODEL_PATH : modelId);
}
