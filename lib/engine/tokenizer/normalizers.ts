import { EngineError } from "@/lib/engine/errors";
import { asArray, asObject, asString, type JsonObject } from "./json";
import { compileReplacePattern } from "./json-patterns";

/** Rewrites a text section before pre-tokenization. */
export type Normalizer = (text: string) => string;

/** Builds the tokenizer.json `normalizer`; null means identity. */
export function buildNormalizer(config: unknown, source: string, field = "normalizer"): Normalizer | null {
  if (config === null || config === undefined) return null;
  const obj = asObject(config, field, source);
  const type = asString(obj.type, `${field}.type`, source);
  switch (type) {
    case "NFC":
    case "NFD":
    case "NFKC":
    case "NFKD":
      return (text) => text.normalize(type);
    case "Lowercase":
      return (text) => text.toLowerCase();
    case "Prepend": {
      const prefix = asString(obj.prepend, `${field}.prepend`, source);
      // HF skips empty sections, so an empty string never gains the prefix.
      return (text) => (text.length > 0 ? prefix + text : text);
    }
    case "Replace":
      return replacer(obj, field, source);
    case "Strip": {
      const left = obj.left !== false;
      const right = obj.right !== false;
      return (text) => (left && right ? text.trim() : left ? text.trimStart() : right ? text.trimEnd() : text);
    }
    case "Sequence": {
      const parts = asArray(obj.normalizers, `${field}.normalizers`, source).map((n, i) =>
        buildNormalizer(n, source, `${field}.normalizers[${i}]`),
      );
      return (text) => parts.reduce((acc, n) => (n ? n(acc) : acc), text);
    }
    default:
      throw new EngineError(`${field}.type "${type}" is not supported`, source);
  }
}

function replacer(obj: JsonObject, field: string, source: string): Normalizer {
  const pattern = compileReplacePattern(obj.pattern, `${field}.pattern`, source);
  const content = asString(obj.content, `${field}.content`, source);
  return (text) => text.replace(pattern, () => content);
}
