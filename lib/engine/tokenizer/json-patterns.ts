import { EngineError } from "@/lib/engine/errors";
import { compilePattern } from "./byte-level";
import { asObject } from "./json";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** tokenizer.json patterns are `{String: "..."}` (literal) or `{Regex: "..."}`; both become a global RegExp. */
export function compileReplacePattern(value: unknown, field: string, source: string): RegExp {
  const obj = asObject(value, field, source);
  if (typeof obj.String === "string") return new RegExp(escapeRegExp(obj.String), "gu");
  if (typeof obj.Regex === "string") {
    try {
      return compilePattern(obj.Regex);
    } catch (err) {
      throw new EngineError(`${field}.Regex cannot be compiled: ${(err as Error).message}`, source);
    }
  }
  throw new EngineError(`${field} must hold "String" or "Regex"`, source);
}
