/**
 * Data model of exports. Rankings come from lib/stats so the figures in a
 * dataset card and the pairs in the file count the same things.
 */
import type { ReviewStatus } from "@/lib/datasets/review-status";
import type { Ranking } from "@/lib/stats/types";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** A ranking plus what the annotator saw and said; every extra field is optional. */
export type RankingRecord = Ranking & {
  /** ISO 8601 timestamp of submission; used by date filters. */
  createdAt?: string;
  /** Completion ids in the order they were displayed. */
  shownOrder?: string[];
  /** Completion id → absolute rating (e.g. 1–7 Likert), when the interface collects one. */
  ratings?: Record<string, number>;
  /** Flags raised by the annotator or reviewers ("unsafe", "unsure", …); any flag marks the ranking flagged. */
  flags?: string[];
  rationale?: string;
  timeSpentMs?: number;
  /** Where review stands; an adjudicated ranking already carries the reviewer's ranks. */
  reviewStatus?: ReviewStatus;
  /** The annotator's reliability, when the export weights by it (see ExportOptions.reliability). */
  weight?: number;
};

/** Everything needed to turn one prompt's rankings into pairs. */
export type PromptGroup = {
  promptId: string;
  /** The conversation up to the completions; ends with a user turn. */
  prompt: ChatMessage[];
  /** Completion id → text. */
  completions: Record<string, string>;
  rankings: RankingRecord[];
};

/** What every pair format can hold: the text of one preference. Import parsers produce this. */
export type PairText = {
  prompt: ChatMessage[];
  chosen: string;
  rejected: string;
  /** How much better `chosen` is; present only when requested. */
  margin?: number;
};

/**
 * One preference pair built from rankings. The id fields match
 * lib/reward's PreferencePair so the trainer can take these directly.
 */
export type PreferencePair = PairText & {
  promptId: string;
  chosenId: string;
  rejectedId: string;
  /** Set in raw mode: whose ranking this pair comes from. */
  annotatorId?: string;
  /** Present (true) only for kept ties; `chosen`/`rejected` are then just the two sides. */
  tie?: true;
  /** Share of the prompt's annotators who ranked both completions and agree with this direction (or tied, for a tie). */
  agreement: number;
  /** Raw mode with reliability weights: the reliability of the annotator whose ranking gave this pair. */
  weight?: number;
};

/** A ranking, optionally with the prompt and completion texts it refers to: a row of the raw rankings format. */
export type RawRankingRow = RankingRecord & {
  prompt?: ChatMessage[];
  completions?: Record<string, string>;
};

/** Sync or async stream; every streaming function in lib/datasets accepts either. */
export type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;
