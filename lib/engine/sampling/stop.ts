import { check } from "@/lib/engine/errors";
import type { DecodingConfig } from "./config";

/** Why generation ended. */
export type FinishReason = "stop_token" | "stop_string" | "length";

/** A finished generation: its reason and its text, cut before a matched stop string. */
export interface StopResult {
  reason: FinishReason;
  text: string;
}

// Detokenizers may rewrite the tail of the text when a multi-byte character
// completes (a U+FFFD placeholder becomes the real character), so re-scan a few
// characters before where the previous scan ended.
const RESCAN = 8;

/**
 * Enforces maxNewTokens, stopTokenIds and stopStrings for one generation.
 * Stop strings are cut from the returned text (OpenAI semantics; HF keeps
 * them). Create one per generation: it remembers how far it has scanned.
 */
export class StopChecker {
  private readonly stopIds: Set<number>;
  private readonly stopStrings: readonly string[];
  private readonly longest: number;
  private scanned = 0;

  constructor(private readonly config: Pick<DecodingConfig, "maxNewTokens" | "stopStrings" | "stopTokenIds">) {
    check(Number.isSafeInteger(config.maxNewTokens) && config.maxNewTokens >= 1, `max_new_tokens must be an integer >= 1, got ${config.maxNewTokens}`);
    for (const s of config.stopStrings) check(typeof s === "string" && s.length > 0, `stop_strings must be non-empty strings, got ${JSON.stringify(s)}`);
    this.stopIds = new Set(config.stopTokenIds);
    this.stopStrings = [...config.stopStrings];
    this.longest = Math.max(0, ...config.stopStrings.map((s) => s.length));
  }

  /**
   * Call after each token with every generated id so far and their decoded
   * text. Returns null to go on, or why to stop. A stop token wins over a stop
   * string, which wins over the length limit; the earliest stop string wins.
   */
  check(generatedIds: readonly number[], text: string): StopResult | null {
    const last = generatedIds[generatedIds.length - 1];
    if (last !== undefined && this.stopIds.has(last)) return { reason: "stop_token", text };
    const cut = this.findStopString(text);
    if (cut >= 0) return { reason: "stop_string", text: text.slice(0, cut) };
    if (generatedIds.length >= this.config.maxNewTokens) return { reason: "length", text };
    return null;
  }

  /** Earliest index where a stop string starts, or -1. */
  private findStopString(text: string): number {
    if (this.longest === 0) return -1;
    const from = Math.max(0, Math.min(this.scanned, text.length) - RESCAN);
    let best = -1;
    for (const s of this.stopStrings) {
      const at = text.indexOf(s, from);
      if (at >= 0 && (best < 0 || at < best)) best = at;
    }
    // A stop string can only start in the last longest-1 characters next time.
    if (best < 0) this.scanned = Math.max(0, text.length - this.longest + 1);
    return best;
  }

  /**
   * How many trailing characters of `text` could begin a stop string: a
   * streaming caller withholds them until the next token settles the question.
   */
  heldBack(text: string): number {
    for (let n = Math.min(this.longest - 1, text.length); n > 0; n--) {
      const tail = text.slice(text.length - n);
      if (this.stopStrings.some((s) => s.startsWith(tail))) return n;
    }
    return 0;
  }
}
