import { EngineError } from "@/lib/engine/errors";
import { fromByteLevel } from "./byte-level";
import { asArray, asObject, asString } from "./json";
import { compileReplacePattern } from "./json-patterns";

/**
 * A decoder compiled for streaming: every token maps to bytes on its own, and
 * the only cross-token rule left is stripping leading spaces from the start of
 * the output (HF's Strip-after-Fuse and Metaspace's first-token rule). This
 * lets decode() and the stream decoder share one code path.
 */
export interface TokenDecoder {
  tokenBytes(token: string): Uint8Array;
  /** How many leading `stripChar` characters to drop from the start of the output. */
  readonly stripLeading: number;
  readonly stripChar: string;
}

type Piece = string | Uint8Array;
type Step = (piece: Piece) => Piece;

const utf8 = new TextEncoder();
const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

/** Builds the tokenizer.json `decoder`; null decodes tokens as their UTF-8 text. */
export function buildDecoder(config: unknown, source: string): TokenDecoder {
  const steps: Step[] = [];
  const strip = { count: 0, char: " " };
  if (config !== null && config !== undefined) addSteps(config, "decoder", source, steps, strip, { fused: false });
  return {
    tokenBytes(token) {
      let piece: Piece = token;
      for (const step of steps) piece = step(piece);
      return typeof piece === "string" ? utf8.encode(piece) : piece;
    },
    stripLeading: strip.count,
    stripChar: strip.char,
  };
}

function onText(fn: (text: string) => Piece): Step {
  return (piece) => (typeof piece === "string" ? fn(piece) : piece);
}

function addSteps(
  config: unknown,
  field: string,
  source: string,
  steps: Step[],
  strip: { count: number; char: string },
  state: { fused: boolean },
): void {
  const obj = asObject(config, field, source);
  const type = asString(obj.type, `${field}.type`, source);
  switch (type) {
    case "ByteLevel":
      steps.push(onText(fromByteLevel));
      return;
    case "ByteFallback":
      steps.push(onText((text) => {
        const m = BYTE_TOKEN.exec(text);
        return m ? Uint8Array.of(parseInt(m[1], 16)) : text;
      }));
      return;
    case "Replace": {
      const pattern = compileReplacePattern(obj.pattern, `${field}.pattern`, source);
      const content = asString(obj.content, `${field}.content`, source);
      steps.push(onText((text) => text.replace(pattern, () => content)));
      return;
    }
    case "Fuse":
      // Joining is implicit: tokens are concatenated as bytes.
      state.fused = true;
      return;
    case "Strip":
      addStrip(obj, field, source, steps, strip, state.fused);
      return;
    case "Metaspace": {
      const replacement = typeof obj.replacement === "string" ? obj.replacement : "\u2581";
      steps.push(onText((text) => text.replaceAll(replacement, " ")));
      const scheme = typeof obj.prepend_scheme === "string" ? obj.prepend_scheme : obj.add_prefix_space === false ? "never" : "always";
      if (scheme !== "never") strip.count = Math.max(strip.count, 1);
      return;
    }
    case "Sequence":
      asArray(obj.decoders, `${field}.decoders`, source).forEach((d, i) =>
        addSteps(d, `${field}.decoders[${i}]`, source, steps, strip, state),
      );
      return;
    default:
      throw new EngineError(`${field}.type "${type}" is not supported`, source);
  }
}

function addStrip(
  obj: Record<string, unknown>,
  field: string,
  source: string,
  steps: Step[],
  strip: { count: number; char: string },
  fused: boolean,
): void {
  const char = asString(obj.content, `${field}.content`, source);
  const start = typeof obj.start === "number" ? obj.start : 0;
  const stop = typeof obj.stop === "number" ? obj.stop : 0;
  if (fused) {
    // After Fuse the whole output is one string; stripping its end cannot be streamed.
    if (stop !== 0) throw new EngineError(`${field}: Strip with stop > 0 after Fuse is not supported`, source);
    strip.count = start;
    strip.char = char;
    return;
  }
  steps.push(onText((text) => {
    let a = 0;
    while (a < start && text[a] === char) a++;
    let b = text.length;
    while (text.length - b < stop && b > a && text[b - 1] === char) b--;
    return text.slice(a, b);
  }));
}
