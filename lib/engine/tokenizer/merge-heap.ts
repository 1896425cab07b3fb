/**
 * Min-heap of candidate merges ordered by (rank, position): the best-ranked
 * pair merges first and ties go to the leftmost pair, which is the order HF
 * tokenizers and llama.cpp's SentencePiece tokenizer both use. Entries are
 * kept in parallel typed arrays so a long word does not allocate per pair.
 */
export class MergeHeap {
  private rank = new Float64Array(64);
  private pos = new Int32Array(64);
  private left = new Int32Array(64);
  private right = new Int32Array(64);
  size = 0;

  push(rank: number, pos: number, left: number, right: number): void {
    if (this.size === this.rank.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(rank, pos, this.rank[parent], this.pos[parent])) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, rank, pos, left, right);
  }

  /** Removes the best entry and returns its [pos, left, right]; call only when size > 0. */
  pop(out: Int32Array): void {
    out[0] = this.pos[0];
    out[1] = this.left[0];
    out[2] = this.right[0];
    const last = --this.size;
    if (last === 0) return;
    const r = this.rank[last];
    const p = this.pos[last];
    const l = this.left[last];
    const rt = this.right[last];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= last) break;
      if (child + 1 < last && this.less(this.rank[child + 1], this.pos[child + 1], this.rank[child], this.pos[child])) {
        child++;
      }
      if (!this.less(this.rank[child], this.pos[child], r, p)) break;
      this.move(child, i);
      i = child;
    }
    this.set(i, r, p, l, rt);
  }

  clear(): void {
    this.size = 0;
  }

  private less(ra: number, pa: number, rb: number, pb: number): boolean {
    return ra < rb || (ra === rb && pa < pb);
  }

  private move(from: number, to: number): void {
    this.set(to, this.rank[from], this.pos[from], this.left[from], this.right[from]);
  }

  private set(i: number, rank: number, pos: number, left: number, right: number): void {
    this.rank[i] = rank;
    this.pos[i] = pos;
    this.left[i] = left;
    this.right[i] = right;
  }

  private grow(): void {
    const n = this.rank.length * 2;
    const rank = new Float64Array(n);
    rank.set(this.rank);
    this.rank = rank;
    const pos = new Int32Array(n);
    pos.set(this.pos);
    this.pos = pos;
    const left = new Int32Array(n);
    left.set(this.left);
    this.left = left;
    const right = new Int32Array(n);
    right.set(this.right);
    this.right = right;
  }
}
