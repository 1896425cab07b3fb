import { EngineError } from "@/lib/engine/errors";
import { AddedTokenSplitter, type AddedToken } from "./added-tokens";
import type { BpeModel } from "./bpe";
import type { ChatTemplate } from "./chat-template";
import type { TokenDecoder } from "./decoders";
import type { Normalizer } from "./normalizers";
import type { PreTokenizer } from "./pre-tokenizers";
import type { ChatMessage, StreamDecoder, Tokenizer } from "./types";

/** Everything a loader (tokenizer.json or GGUF) resolves before building a tokenizer. */
export interface TokenizerParts {
  readonly source: string;
  /** id -> token text, model vocabulary and added tokens together. */
  readonly tokens: readonly (string | undefined)[];
  /** token text -> id of the model vocabulary (added tokens take precedence over it). */
  readonly vocab: ReadonlyMap<string, number>;
  readonly addedTokens: readonly AddedToken[];
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly model: BpeModel;
  readonly decoder: TokenDecoder;
  /** Ids wrapped around the text when addSpecialTokens is on (BOS / EOS). */
  readonly prefixIds: readonly number[];
  readonly suffixIds: readonly number[];
  readonly bosId: number | null;
  readonly eosIds: readonly number[];
  readonly chatTemplate: ChatTemplate | null;
}

/** The pipeline: added tokens -> normalizer -> pre-tokenizer -> BPE -> post-processing. */
export class BpeTokenizer implements Tokenizer {
  readonly vocabSize: number;
  readonly bosId: number | null;
  readonly eosIds: number[];
  readonly addBosToken: boolean;
  readonly chatTemplate: string | null;
  /** Tokens matched in the raw text, and (HF's `normalized: true`) in the normalized text. */
  private readonly rawSplitter: AddedTokenSplitter;
  private readonly normalizedSplitter: AddedTokenSplitter;
  private readonly addedIds = new Map<string, number>();
  private readonly specialIds = new Set<number>();

  constructor(private readonly parts: TokenizerParts) {
    this.vocabSize = parts.tokens.length;
    this.bosId = parts.bosId;
    this.eosIds = [...parts.eosIds];
    this.addBosToken = parts.bosId !== null && parts.prefixIds.includes(parts.bosId);
    this.chatTemplate = parts.chatTemplate?.source ?? null;
    // Without a normalizer both passes see the same text, so one pass does.
    const late = (t: AddedToken): boolean => parts.normalizer !== null && t.normalized;
    this.rawSplitter = new AddedTokenSplitter(parts.addedTokens.filter((t) => !late(t)));
    this.normalizedSplitter = new AddedTokenSplitter(parts.addedTokens.filter(late));
    for (const t of parts.addedTokens) {
      this.addedIds.set(t.content, t.id);
      if (t.special) this.specialIds.add(t.id);
    }
  }

  encode(text: string, opts?: { addSpecialTokens?: boolean }): number[] {
    const addSpecial = opts?.addSpecialTokens ?? true;
    const { normalizer } = this.parts;
    const out: number[] = addSpecial ? [...this.parts.prefixIds] : [];
    this.rawSplitter.split(text).forEach((section, index) => {
      if ("token" in section) {
        out.push(section.token.id);
        return;
      }
      const normalized = normalizer ? normalizer(section.text) : section.text;
      this.normalizedSplitter.split(normalized).forEach((piece, pieceIndex) => {
        if ("token" in piece) out.push(piece.token.id);
        else this.encodeText(piece.text, index === 0 && pieceIndex === 0, out);
      });
    });
    if (addSpecial) out.push(...this.parts.suffixIds);
    return out;
  }

  /** Pre-tokenizes one normalized section and runs BPE on each word. */
  private encodeText(text: string, atStart: boolean, out: number[]): void {
    if (text.length === 0) return;
    const { preTokenizer, model } = this.parts;
    const words = preTokenizer ? preTokenizer([text], atStart) : [text];
    for (const word of words) if (word.length > 0) model.encodeWord(word, out);
  }

  decode(ids: readonly number[], opts?: { skipSpecialTokens?: boolean }): string {
    const stream = this.createStreamDecoder(opts);
    let text = "";
    for (const id of ids) text += stream.push(id);
    return text + stream.flush();
  }

  idToToken(id: number): string | undefined {
    return this.parts.tokens[id];
  }

  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.parts.vocab.get(token);
  }

  createStreamDecoder(opts?: { skipSpecialTokens?: boolean }): StreamDecoder {
    const skip = opts?.skipSpecialTokens ?? false;
    const { decoder, source } = this.parts;
    // ignoreBOM keeps a leading U+FEFF in the text instead of swallowing it.
    const utf8 = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true });
    let toStrip = decoder.stripLeading;
    const strip = (text: string): string => {
      if (toStrip === 0 || text.length === 0) return text;
      let i = 0;
      while (toStrip > 0 && i < text.length && text[i] === decoder.stripChar) {
        i++;
        toStrip--;
      }
      // Stripping only applies at the very start of the output.
      if (i < text.length) toStrip = 0;
      return text.slice(i);
    };
    return {
      push: (id) => {
        const token = this.parts.tokens[id];
        if (token === undefined) throw new EngineError(`token id ${id} is out of range [0, ${this.vocabSize})`, source);
        if (skip && this.specialIds.has(id)) return "";
        return strip(utf8.decode(decoder.tokenBytes(token), { stream: true }));
      },
      flush: () => strip(utf8.decode()),
    };
  }

  applyChatTemplate(messages: ChatMessage[], opts?: { addGenerationPrompt?: boolean }): string {
    const template = this.parts.chatTemplate;
    if (!template) throw new EngineError("tokenizer has no chat_template", this.parts.source);
    return template.render(messages, opts?.addGenerationPrompt ?? false);
  }
}
