import { EngineError } from "@/lib/engine/errors";
import { GPT2_PATTERN, compilePattern, toByteLevel } from "./byte-level";
import { asArray, asObject, asString, type JsonObject } from "./json";
import { compileReplacePattern } from "./json-patterns";

/**
 * Splits one normalized text section into words for the model. `atStart`
 * tells whether the section begins the input (Metaspace "first" scheme).
 */
export type PreTokenizer = (pieces: string[], atStart: boolean) => string[];

type SplitBehavior = "Removed" | "Isolated" | "MergedWithPrevious" | "MergedWithNext" | "Contiguous";
const BEHAVIORS: readonly string[] = ["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"];

/** Builds the tokenizer.json `pre_tokenizer`; null means the section is one word. */
export function buildPreTokenizer(config: unknown, source: string, field = "pre_tokenizer"): PreTokenizer | null {
  if (config === null || config === undefined) return null;
  const obj = asObject(config, field, source);
  const type = asString(obj.type, `${field}.type`, source);
  switch (type) {
    case "ByteLevel":
      return byteLevel(obj.add_prefix_space === true, obj.use_regex !== false);
    case "Split": {
      const behavior = asString(obj.behavior, `${field}.behavior`, source);
      if (!BEHAVIORS.includes(behavior)) throw new EngineError(`${field}.behavior "${behavior}" is not supported`, source);
      const pattern = compileReplacePattern(obj.pattern, `${field}.pattern`, source);
      return eachPiece((piece) => splitPiece(piece, pattern, behavior as SplitBehavior, obj.invert === true));
    }
    case "Metaspace":
      return metaspace(obj, field, source);
    case "Digits": {
      const pattern = obj.individual_digits === true ? /\p{N}/gu : /\p{N}+/gu;
      return eachPiece((piece) => splitPiece(piece, pattern, "Isolated", false));
    }
    case "Sequence": {
      const steps = asArray(obj.pretokenizers, `${field}.pretokenizers`, source).map((p, i) =>
        buildPreTokenizer(p, source, `${field}.pretokenizers[${i}]`),
      );
      return (pieces, atStart) => steps.reduce((acc, step) => (step ? step(acc, atStart) : acc), pieces);
    }
    default:
      throw new EngineError(`${field}.type "${type}" is not supported`, source);
  }
}

function eachPiece(fn: (piece: string) => string[]): PreTokenizer {
  return (pieces) => pieces.flatMap(fn);
}

/** GPT-2 style: optional regex split, then every UTF-8 byte spelled as a visible character. */
export function byteLevel(addPrefixSpace: boolean, useRegex: boolean, pattern = GPT2_PATTERN): PreTokenizer {
  const regex = compilePattern(pattern);
  return eachPiece((piece) => {
    const text = addPrefixSpace && !piece.startsWith(" ") ? ` ${piece}` : piece;
    const words = useRegex ? (text.match(regex) ?? []) : [text];
    return words.map(toByteLevel);
  });
}

/** Splits on `pattern` and attaches the matches per HF's SplitDelimiterBehavior. */
export function splitPiece(piece: string, pattern: RegExp, behavior: SplitBehavior, invert: boolean): string[] {
  const segments: { text: string; isMatch: boolean }[] = [];
  let last = 0;
  for (const m of piece.matchAll(pattern)) {
    if (m[0].length === 0) continue;
    const start = m.index ?? 0;
    if (start > last) segments.push({ text: piece.slice(last, start), isMatch: invert });
    segments.push({ text: m[0], isMatch: !invert });
    last = start + m[0].length;
  }
  if (last < piece.length) segments.push({ text: piece.slice(last), isMatch: invert });
  if (behavior === "MergedWithNext") {
    // Mirror image of MergedWithPrevious: walk backwards and glue a match onto the piece after it.
    const reversed = mergeMatches(segments.reverse(), "MergedWithNext");
    return reversed.reverse();
  }
  return mergeMatches(segments, behavior);
}

function mergeMatches(segments: { text: string; isMatch: boolean }[], behavior: SplitBehavior): string[] {
  const out: string[] = [];
  let previousMatch = false;
  for (const { text, isMatch } of segments) {
    const glue = isMatch && out.length > 0;
    if (isMatch && behavior === "Removed") continue;
    if (glue && behavior === "MergedWithPrevious" && !previousMatch) out[out.length - 1] += text;
    else if (glue && behavior === "MergedWithNext" && !previousMatch) out[out.length - 1] = text + out[out.length - 1];
    else if (glue && behavior === "Contiguous" && previousMatch) out[out.length - 1] += text;
    else out.push(text);
    previousMatch = isMatch;
  }
  return out;
}

function metaspace(obj: JsonObject, field: string, source: string): PreTokenizer {
  const replacement = typeof obj.replacement === "string" ? obj.replacement : "\u2581";
  const scheme =
    typeof obj.prepend_scheme === "string" ? obj.prepend_scheme : obj.add_prefix_space === false ? "never" : "always";
  if (!["always", "first", "never"].includes(scheme)) {
    throw new EngineError(`${field}.prepend_scheme "${scheme}" is not supported`, source);
  }
  const split = obj.split !== false;
  const splitter = new RegExp(replacement.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gu");
  return (pieces, atStart) =>
    pieces.flatMap((piece) => {
      let text = piece.replaceAll(" ", replacement);
      const prepend = scheme === "always" || (scheme === "first" && atStart);
      if (prepend && !text.startsWith(replacement)) text = replacement + text;
      return split ? splitPiece(text, splitter, "MergedWithNext", false) : [text];
    });
}
