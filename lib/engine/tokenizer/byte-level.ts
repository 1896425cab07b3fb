/**
 * GPT-2's reversible byte <-> unicode mapping and the split regexes used by
 * byte-level BPE models. Printable Latin-1 bytes map to themselves; the rest
 * (control bytes, space, 0x7F-0xA0, 0xAD) are shifted to U+0100.. so every
 * byte becomes a visible, non-whitespace character that BPE can merge.
 */
function buildByteTables(): { byteToChar: string[]; charToByte: Map<string, number> } {
  const byteToChar: string[] = new Array<string>(256);
  const printable = (b: number): boolean =>
    (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let shifted = 0;
  for (let b = 0; b < 256; b++) {
    byteToChar[b] = String.fromCharCode(printable(b) ? b : 256 + shifted++);
  }
  const charToByte = new Map<string, number>();
  byteToChar.forEach((ch, b) => charToByte.set(ch, b));
  return { byteToChar, charToByte };
}

const tables = buildByteTables();

/** byte (0..255) -> the single character that stands for it in byte-level vocabularies. */
export const BYTE_TO_CHAR: readonly string[] = tables.byteToChar;
/** Inverse of BYTE_TO_CHAR. */
export const CHAR_TO_BYTE: ReadonlyMap<string, number> = tables.charToByte;

const utf8 = new TextEncoder();

/** UTF-8 encodes `text` and spells each byte with its byte-level character. */
export function toByteLevel(text: string): string {
  // ASCII is its own UTF-8: skip the encoder, whose per-call cost dominated
  // encoding short pre-tokens (a 100k-example corpus: 2.4 s of 8 s).
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return nonAsciiToByteLevel(text);
    out += BYTE_TO_CHAR[c];
  }
  return out;
}

function nonAsciiToByteLevel(text: string): string {
  let out = "";
  for (const b of utf8.encode(text)) out += BYTE_TO_CHAR[b];
  return out;
}

/**
 * Maps a byte-level token back to raw bytes. A token holding a character
 * outside the table (an added token such as "<|im_start|>" written with
 * unmapped characters) is returned as its own UTF-8, as HF tokenizers does.
 */
export function fromByteLevel(token: string): Uint8Array {
  const bytes = new Uint8Array(token.length);
  let n = 0;
  for (const ch of token) {
    const b = CHAR_TO_BYTE.get(ch);
    if (b === undefined) return utf8.encode(token);
    bytes[n++] = b;
  }
  return bytes.subarray(0, n);
}

/** GPT-2's pre-tokenizer split (contractions, letters, numbers, punctuation, whitespace). */
export const GPT2_PATTERN =
  "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

/** Llama 3's split: case-insensitive contractions, numbers in groups of up to three. */
export const LLAMA3_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** Qwen2/Qwen3's split: like Llama 3 but every digit stands alone. */
export const QWEN2_PATTERN =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/**
 * Translates a tokenizer.json (Oniguruma-flavoured) regex to a JavaScript
 * `u`-flag RegExp. Node 20 lacks inline modifier groups, so `(?i:...)` is
 * rewritten by spelling each ASCII letter inside it as a two-case class.
 */
export function compilePattern(pattern: string, flags = "gu"): RegExp {
  return new RegExp(expandCaseInsensitiveGroups(pattern), flags);
}

function expandCaseInsensitiveGroups(pattern: string): string {
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const start = pattern.indexOf("(?i:", i);
    if (start < 0) break;
    out += pattern.slice(i, start) + "(?:";
    let depth = 1;
    let j = start + 4;
    let inClass = false;
    for (; j < pattern.length && depth > 0; j++) {
      const ch = pattern[j];
      if (ch === "\\") {
        out += ch + (pattern[j + 1] ?? "");
        j++;
        continue;
      }
      if (inClass) inClass = ch !== "]";
      else if (ch === "[") inClass = true;
      else if (ch === "(") depth++;
      else if (ch === ")") depth--;
      const lower = ch.toLowerCase();
      const upper = ch.toUpperCase();
      out += !inClass && depth > 0 && /[a-z]/i.test(ch) && lower !== upper ? `[${lower}${upper}]` : ch;
    }
    i = j;
  }
  return out + pattern.slice(i);
}
