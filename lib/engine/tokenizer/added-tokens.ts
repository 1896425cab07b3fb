/** A token matched in raw text before the model sees it (tokenizer.json `added_tokens`). */
export interface AddedToken {
  readonly id: number;
  readonly content: string;
  readonly special: boolean;
  /** Swallow whitespace on the left / right of the match. */
  readonly lstrip: boolean;
  readonly rstrip: boolean;
  /** Match only when not inside a word. */
  readonly singleWord: boolean;
  /** Matched in the normalized text instead of the raw text (HF tokenizers' rule). */
  readonly normalized: boolean;
}

/** A piece of input text: either plain text for the model, or an added token. */
export type Section = { readonly text: string } | { readonly token: AddedToken };

interface TrieNode {
  children: Map<string, TrieNode>;
  token: AddedToken | null;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
const SPACE = /\s/u;

/**
 * Splits text on added tokens with leftmost-longest matching (the rule HF
 * tokenizers uses), so "<|im_start|>" wins over a shorter "<|im".
 */
export class AddedTokenSplitter {
  private readonly root: TrieNode = { children: new Map(), token: null };

  constructor(tokens: readonly AddedToken[]) {
    for (const token of tokens) {
      if (token.content.length === 0) continue;
      let node = this.root;
      // UTF-16 units, to match how split() walks the text.
      for (const unit of token.content.split("")) {
        let child = node.children.get(unit);
        if (!child) {
          child = { children: new Map(), token: null };
          node.children.set(unit, child);
        }
        node = child;
      }
      node.token = token;
    }
  }

  split(text: string): Section[] {
    const sections: Section[] = [];
    let textStart = 0;
    let i = 0;
    while (i < text.length) {
      const match = this.longestAt(text, i);
      if (!match) {
        i++;
        continue;
      }
      let start = i;
      let end = match.end;
      if (match.token.lstrip) while (start > textStart && SPACE.test(text[start - 1])) start--;
      if (match.token.rstrip) while (end < text.length && SPACE.test(text[end])) end++;
      if (start > textStart) sections.push({ text: text.slice(textStart, start) });
      sections.push({ token: match.token });
      textStart = end;
      i = end;
    }
    if (textStart < text.length) sections.push({ text: text.slice(textStart) });
    return sections;
  }

  private longestAt(text: string, start: number): { token: AddedToken; end: number } | null {
    let node: TrieNode | undefined = this.root;
    let best: { token: AddedToken; end: number } | null = null;
    for (let j = start; j < text.length; j++) {
      node = node.children.get(text[j]);
      if (!node) break;
      if (node.token && this.boundaryOk(node.token, text, start, j + 1)) best = { token: node.token, end: j + 1 };
    }
    return best;
  }

  private boundaryOk(token: AddedToken, text: string, start: number, end: number): boolean {
    if (!token.singleWord) return true;
    const before = start > 0 && WORD_CHAR.test(text[start - 1]);
    const after = end < text.length && WORD_CHAR.test(text[end]);
    return !before && !after;
  }
}
