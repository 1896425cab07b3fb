import type { BpeModel } from "./bpe-train";
import { fromByteChars, pretokenize, toByteChars } from "./byte-level";

/**
 * Training-side encoder for a BpeModel (the app loads tokenizer.json through
 * lib/engine/tokenizer instead). Standard BPE: merge the lowest-rank adjacent
 * pair until none is in the merge table; pieces are cached since the task
 * corpus repeats the same words constantly.
 */
export class BpeCodec {
  private readonly ranks = new Map<string, number>();
  private readonly cache = new Map<string, number[]>();
  private readonly idToToken: string[] = [];
  private readonly specialPattern: RegExp;

  constructor(readonly model: BpeModel) {
    model.merges.forEach(([a, b], i) => this.ranks.set(`${a}\u0000${b}`, i));
    for (const [tok, id] of model.vocab) this.idToToken[id] = tok;
    for (const [tok, id] of model.special) this.idToToken[id] = tok;
    const escaped = [...model.special.keys()].map((s) => s.replace(/[|<>]/g, (c) => `\\${c}`));
    this.specialPattern = new RegExp(`(${escaped.join("|")})`);
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    for (const part of text.split(this.specialPattern)) {
      if (part === "") continue;
      const special = this.model.special.get(part);
      if (special !== undefined) {
        ids.push(special);
        continue;
      }
      for (const piece of pretokenize(part)) ids.push(...this.encodePiece(piece));
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    let out = "";
    let bytes = "";
    for (const id of ids) {
      const tok = this.idToToken[id];
      if (tok === undefined) throw new Error(`token id ${id} is not in the vocab`);
      if (this.model.special.has(tok)) {
        out += fromByteChars(bytes) + tok;
        bytes = "";
      } else bytes += tok;
    }
    return out + fromByteChars(bytes);
  }

  private encodePiece(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    let syms = toByteChars(piece);
    for (;;) {
      let bestRank = Infinity;
      let bestAt = -1;
      for (let i = 0; i + 1 < syms.length; i++) {
        const r = this.ranks.get(`${syms[i]}\u0000${syms[i + 1]}`);
        if (r !== undefined && r < bestRank) {
          bestRank = r;
          bestAt = i;
        }
      }
      if (bestAt < 0) break;
      const joined = syms[bestAt]! + syms[bestAt + 1]!;
      const next: string[] = [];
      for (let i = 0; i < syms.length; i++) {
        if (i + 1 < syms.length && syms[i] + syms[i + 1]! === joined && this.ranks.get(`${syms[i]}\u0000${syms[i + 1]}`) === bestRank) {
          next.push(joined);
          i++;
        } else next.push(syms[i]!);
      }
      syms = next;
    }
    const ids = syms.map((s) => {
      const id = this.model.vocab.get(s);
      if (id === undefined) throw new Error(`BPE produced "${s}", which is not in the vocab`);
      return id;
    });
    this.cache.set(piece, ids);
    return ids;
  }
}
