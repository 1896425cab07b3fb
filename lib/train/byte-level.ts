/**
 * GPT-2 byte-level helpers. Every byte maps to one printable unicode char
 * (printable Latin-1 bytes map to themselves, the other 68 to U+0100 upward),
 * so BPE works on strings without ever seeing a control char or a space.
 */

function buildByteToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b); // '!'..'~'
  for (let b = 161; b <= 172; b++) keep.push(b); // '¡'..'¬'
  for (let b = 174; b <= 255; b++) keep.push(b); // '®'..'ÿ'
  const out = new Array<string>(256);
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    out[b] = keep.includes(b) ? String.fromCharCode(b) : String.fromCharCode(256 + extra++);
  }
  return out;
}

/** byte (0..255) → its unicode stand-in. */
export const BYTE_TO_UNICODE: readonly string[] = buildByteToUnicode();

/** unicode stand-in → byte. */
export const UNICODE_TO_BYTE: ReadonlyMap<string, number> = new Map(BYTE_TO_UNICODE.map((c, b) => [c, b]));

/** The GPT-2 pre-tokenization pattern (contractions, letters, digits, other, spaces), as HF's ByteLevel uses it. */
export const GPT2_PRETOKENIZE = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export function pretokenize(text: string): string[] {
  return text.match(GPT2_PRETOKENIZE) ?? [];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 bytes of a pre-token, each as its unicode stand-in. */
export function toByteChars(piece: string): string[] {
  return Array.from(encoder.encode(piece), (b) => BYTE_TO_UNICODE[b]!);
}

/** Inverse of toByteChars over a whole token string sequence. */
export function fromByteChars(text: string): string {
  const bytes = Uint8Array.from([...text], (c) => UNICODE_TO_BYTE.get(c) ?? 63);
  return decoder.decode(bytes);
}
