/**
 * Export options that act on rankings before pairing (filters,
 * pseudonymisation) and on prompts (the train/test split).
 */
import { hmacSha256Hex, sha256Hex } from "@/lib/datasets/sha256";
import type { RankingRecord } from "@/lib/datasets/types";

export type RankingFilters = {
  /** Keep rankings created at or after this ISO 8601 instant. */
  from?: string;
  /** Keep rankings created strictly before this ISO 8601 instant. */
  to?: string;
  /** Keep only these annotators (ids before pseudonymisation). */
  annotatorIds?: readonly string[];
  /** Drop rankings with at least one flag. */
  excludeFlagged?: boolean;
};

/**
 * Predicate for {@link RankingFilters}. A date bound drops rankings that have
 * no `createdAt`: a ranking of unknown date cannot be shown to be in range.
 */
export function rankingFilter(filters: RankingFilters): (r: RankingRecord) => boolean {
  const from = filters.from === undefined ? undefined : parseInstant(filters.from, "from");
  const to = filters.to === undefined ? undefined : parseInstant(filters.to, "to");
  const annotators = filters.annotatorIds ? new Set(filters.annotatorIds) : undefined;
  return (r) => {
    if (annotators && !annotators.has(r.annotatorId)) return false;
    if (filters.excludeFlagged && (r.flags?.length ?? 0) > 0) return false;
    if (from === undefined && to === undefined) return true;
    if (r.createdAt === undefined) return false;
    const t = parseInstant(r.createdAt, `createdAt of ${r.annotatorId}/${r.promptId}`);
    return (from === undefined || t >= from) && (to === undefined || t < to);
  };
}

function parseInstant(value: string, name: string): number {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new RangeError(`${name} must be an ISO 8601 date, got "${value}"`);
  return t;
}

export type SplitName = "train" | "test";

export type SplitOptions = {
  /** Share of prompts that go to test, in [0, 1]. */
  testFraction: number;
  /** Changing the seed reshuffles which prompts are held out. */
  seed: number | string;
};

/**
 * Deterministic split by prompt: SHA-256 of "seed:promptId" mapped to [0, 1)
 * and compared with testFraction. Every pair of a prompt lands in the same
 * split, so no prompt is in both; the assignment of a prompt never changes
 * when other prompts are added.
 */
export function splitOf(promptId: string, opts: SplitOptions): SplitName {
  if (!(opts.testFraction >= 0 && opts.testFraction <= 1)) {
    throw new RangeError(`testFraction must be in [0, 1], got ${opts.testFraction}`);
  }
  const u = Number.parseInt(sha256Hex(`${opts.seed}:${promptId}`).slice(0, 8), 16) / 2 ** 32;
  return u < opts.testFraction ? "test" : "train";
}

/** Keyed hash used for pseudonyms: (salt, id) → hex. Callers may inject their own (e.g. a KMS-backed HMAC). */
export type KeyedHash = (salt: string, id: string) => string;

export type PseudonymOptions = {
  /** Secret salt; without it pseudonyms cannot be linked back to annotator ids. */
  salt: string;
  hash?: KeyedHash;
  /** Prefix of every pseudonym. Default "annotator-". */
  prefix?: string;
};

/** Stable pseudonym: the same id and salt always give the same name; 16 hex digits (64 bits) keep collisions negligible. */
export function pseudonym(annotatorId: string, opts: PseudonymOptions): string {
  if (opts.salt.length === 0) throw new RangeError("salt must be a non-empty string, got an empty string");
  const hash = opts.hash ?? hmacSha256Hex;
  return `${opts.prefix ?? "annotator-"}${hash(opts.salt, annotatorId).slice(0, 16)}`;
}

/** Replaces the annotator id of a ranking with its pseudonym; nothing else changes. */
export function pseudonymiseRanking<R extends RankingRecord>(r: R, opts: PseudonymOptions): R {
  return { ...r, annotatorId: pseudonym(r.annotatorId, opts) };
}
