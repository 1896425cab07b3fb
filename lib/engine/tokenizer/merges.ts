import { EngineError } from "@/lib/engine/errors";
import { describe } from "./json";

/**
 * A merge table keyed by the pair of token ids. `rank` orders merges (lower
 * merges first) and `result` is the id the pair becomes. Keys pack two ids
 * into one number so lookups in the hot loop never build strings.
 */
export interface MergeTable {
  readonly index: Map<number, number>;
  readonly rank: Float64Array;
  readonly result: Int32Array;
}

/** Ids above this cannot be packed into a pair key without losing precision. */
const KEY_BASE = 2 ** 21;

/** Packs an ordered pair of ids into one Map key. */
export function pairKey(left: number, right: number): number {
  return left * KEY_BASE + right;
}

/** Rejects vocabularies too large for pairKey's packing. */
export function checkVocabSize(size: number, source: string): void {
  if (size > KEY_BASE) throw new EngineError(`vocabulary of ${size} tokens exceeds the supported ${KEY_BASE}`, source);
}

/** Splits one merge entry: "a b" (first space separates) or ["a", "b"]. */
function splitMerge(entry: unknown, i: number, source: string): [string, string] {
  if (typeof entry === "string") {
    const space = entry.indexOf(" ", 1);
    if (space > 0) return [entry.slice(0, space), entry.slice(space + 1)];
  } else if (Array.isArray(entry) && entry.length === 2 && typeof entry[0] === "string" && typeof entry[1] === "string") {
    return [entry[0], entry[1]];
  }
  throw new EngineError(`merges[${i}] must be "a b" or ["a", "b"], got ${describe(entry)}`, source);
}

/** Builds a table from an ordered merge list (tokenizer.json model.merges, GGUF tokenizer.ggml.merges). */
export function mergesFromList(merges: readonly unknown[], vocab: ReadonlyMap<string, number>, source: string): MergeTable {
  const index = new Map<number, number>();
  const rank = new Float64Array(merges.length);
  const result = new Int32Array(merges.length);
  let n = 0;
  for (let i = 0; i < merges.length; i++) {
    const [a, b] = splitMerge(merges[i], i, source);
    const left = vocab.get(a);
    const right = vocab.get(b);
    const merged = vocab.get(a + b);
    if (left === undefined || right === undefined || merged === undefined) {
      throw new EngineError(`merges[${i}] ${describe([a, b])} uses a token missing from the vocabulary`, source);
    }
    const key = pairKey(left, right);
    // A repeated pair keeps its first (best) rank, as in HF tokenizers.
    if (index.has(key)) continue;
    index.set(key, n);
    rank[n] = i;
    result[n] = merged;
    n++;
  }
  return { index, rank, result };
}

/**
 * Derives merges from SentencePiece scores, for GGUF 'llama' vocabularies
 * that ship no merge list: any split of a mergeable piece into two pieces
 * that both exist is a merge, and higher-scoring pieces merge first. Equal
 * scores share a rank so the leftmost pair wins, as in llama.cpp.
 */
export function mergesFromScores(
  tokens: readonly string[],
  scores: ArrayLike<number>,
  mergeable: (id: number) => boolean,
  vocab: ReadonlyMap<string, number>,
): MergeTable {
  const index = new Map<number, number>();
  const rank: number[] = [];
  const result: number[] = [];
  for (let id = 0; id < tokens.length; id++) {
    if (!mergeable(id)) continue;
    const chars = Array.from(tokens[id]);
    let prefix = "";
    for (let cut = 1; cut < chars.length; cut++) {
      prefix += chars[cut - 1];
      const left = vocab.get(prefix);
      const right = vocab.get(chars.slice(cut).join(""));
      if (left === undefined || right === undefined) continue;
      const key = pairKey(left, right);
      if (index.has(key)) continue;
      index.set(key, rank.length);
      rank.push(-scores[id]);
      result.push(id);
    }
  }
  return { index, rank: Float64Array.from(rank), result: Int32Array.from(result) };
}
