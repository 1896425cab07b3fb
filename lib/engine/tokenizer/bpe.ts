import { MergeHeap } from "./merge-heap";
import { pairKey, type MergeTable } from "./merges";

/** Options of a BPE model; see tokenizer.json `model` with type "BPE". */
export interface BpeConfig {
  readonly vocab: ReadonlyMap<string, number>;
  readonly merges: MergeTable;
  readonly unkId: number | null;
  readonly fuseUnk: boolean;
  /** Characters missing from the vocabulary become `<0xNN>` byte tokens. */
  readonly byteFallback: boolean;
  /** A word already in the vocabulary is emitted whole, skipping merges (Llama 3). */
  readonly ignoreMerges: boolean;
}

const CACHE_LIMIT = 50_000;
const CACHEABLE_LENGTH = 128;
const utf8 = new TextEncoder();

/**
 * Byte-pair encoding of one pre-tokenized word at a time. Merges run on a
 * linked list of symbols driven by a heap of candidate pairs, so a word of n
 * symbols costs O(n log n); short words are cached because natural text
 * repeats them.
 */
export class BpeModel {
  private readonly cache = new Map<string, readonly number[]>();
  private readonly byteIds: (number | undefined)[];
  private readonly heap = new MergeHeap();
  private readonly popped = new Int32Array(3);

  constructor(private readonly config: BpeConfig) {
    this.byteIds = Array.from({ length: 256 }, (_, b) =>
      config.vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`),
    );
  }

  /** Appends the ids of `word` to `out`. */
  encodeWord(word: string, out: number[]): void {
    const cached = this.cache.get(word);
    if (cached) {
      for (const id of cached) out.push(id);
      return;
    }
    const ids = this.encodeUncached(word);
    if (word.length <= CACHEABLE_LENGTH) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(word, ids);
    }
    for (const id of ids) out.push(id);
  }

  private encodeUncached(word: string): number[] {
    const whole = this.config.vocab.get(word);
    if (this.config.ignoreMerges && whole !== undefined) return [whole];
    const symbols = this.initialSymbols(word);
    return symbols.length < 2 ? symbols : this.merge(symbols);
  }

  /** One symbol per character; unknown characters become byte tokens or unk. */
  private initialSymbols(word: string): number[] {
    const { vocab, unkId, fuseUnk, byteFallback } = this.config;
    const ids: number[] = [];
    let lastWasUnk = false;
    for (const ch of word) {
      const id = vocab.get(ch);
      if (id !== undefined) {
        ids.push(id);
        lastWasUnk = false;
        continue;
      }
      if (byteFallback) {
        const bytes = Array.from(utf8.encode(ch), (b) => this.byteIds[b]);
        if (bytes.every((b) => b !== undefined)) {
          ids.push(...(bytes as number[]));
          lastWasUnk = false;
          continue;
        }
      }
      // With no unk token the character is dropped, which is what HF tokenizers does.
      if (unkId === null) continue;
      if (!(fuseUnk && lastWasUnk)) ids.push(unkId);
      lastWasUnk = true;
    }
    return ids;
  }

  private merge(ids: number[]): number[] {
    const { index, rank, result } = this.config.merges;
    const n = ids.length;
    const next = new Int32Array(n);
    const prev = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    const heap = this.heap;
    heap.clear();
    const consider = (p: number): void => {
      if (p < 0) return;
      const q = next[p];
      if (q < 0) return;
      const m = index.get(pairKey(ids[p], ids[q]));
      if (m !== undefined) heap.push(rank[m], p, ids[p], ids[q]);
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    const popped = this.popped;
    while (heap.size > 0) {
      heap.pop(popped);
      const p = popped[0];
      const q = next[p];
      // Stale entry: one side has merged since it was queued.
      if (q < 0 || ids[p] !== popped[1] || ids[q] !== popped[2]) continue;
      ids[p] = result[index.get(pairKey(ids[p], ids[q])) as number];
      ids[q] = -1;
      next[p] = next[q];
      if (next[q] >= 0) prev[next[q]] = p;
      consider(prev[p]);
      consider(p);
    }
    return ids.filter((id) => id >= 0);
  }
}
