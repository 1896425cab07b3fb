/**
 * Data model of exports. Rankings come from lib/stats so the figures in a
 * dataset card and the pairs in the file count the same things.
 */
import type { ReviewStatus } from "@/lib/datasets/review-status";
import type { Ranking } from "@/lib/stats/types";

export type ChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** Who wrote a completion: the model, or an annotator who rewrote another completion. */
export type WrittenBy = "model" | "human";

/** A ranking plus what the annotator saw and said; every extra field is optional. */
export type RankingRecord = Ranking & {
  /** ISO 8601 timestamp of submission; used by date filters. */
  createdAt?: string;
  /** Completion ids in the order they were displayed. */
  shownOrder?: string[];
  /** Completion id → absolute rating (e.g. 1–7 Likert), when the interface collects one. */
  ratings?: Record<string, number>;
  /** Completion id → aspect (e.g. "honesty") → 1–7 rating, for the aspects the project's rubric asks about. */
  aspectRatings?: Record<string, Record<string, number>>;
  /** Flags raised by the annotator or reviewers ("unsafe", "unsure", …); any flag marks the ranking flagged. */
  flags?: string[];
  rationale?: string;
  timeSpentMs?: number;
  /**
   * Fields of an imported record that the app has no place for (an `id`
   * column, scores, a TRL `margin`); exports write them back on every row
   * made from this ranking, so a file exported in its own format is the file
   * that was imported.
   */
  extra?: Record<string, unknown>;
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
  /**
   * Completion id → the whole conversation it answers, for completions that
   * do not answer `prompt` (an imported pair whose chosen and rejected
   * conversations differ before the last reply keeps each side's own).
   */
  contexts?: Record<string, ChatMessage[]>;
  /** Human-written completions (an annotator's rewrite) → the completion they were rewritten from; the rest are the model's. */
  rewrites?: Record<string, string | null>;
  rankings: RankingRecord[];
  /**
   * The annotators whose rankings this group writes (raw pairs and raw
   * rankings); the other rankings only count towards agreement. Absent: all.
   * Set when an export follows the rankings' own order (import order), in
   * which one prompt's rankings need not be next to each other.
   */
  emit?: readonly string[];
};

/** What every pair format can hold: the text of one preference. Import parsers produce this. */
export type PairText = {
  prompt: ChatMessage[];
  chosen: string;
  rejected: string;
  /** The whole conversation `chosen` answers, when it is not `prompt` (see PromptGroup.contexts). */
  chosenContext?: ChatMessage[];
  /** The whole conversation `rejected` answers, when it is not `prompt`. */
  rejectedContext?: ChatMessage[];
  /** How much better `chosen` is; present only when requested. */
  margin?: number;
  /** Fields of the record the app has no place for (see RankingRecord.extra); written back after the format's own. */
  extra?: Record<string, unknown>;
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
  chosenSource?: WrittenBy;
  rejectedSource?: WrittenBy;
  /** Aspect → rating of each side: the annotator's in raw mode, else the mean over the annotators who rated it. */
  chosenRatings?: Record<string, number>;
  rejectedRatings?: Record<string, number>;
  /** Raw mode with reliability weights: the reliability of the annotator whose ranking gave this pair. */
  weight?: number;
};

/** A ranking, optionally with the prompt and completion texts it refers to: a row of the raw rankings format. */
export type RawRankingRow = RankingRecord & {
  prompt?: ChatMessage[];
  completions?: Record<string, string>;
  /** Completion id → the conversation it answers, for the completions that do not answer `prompt`. */
  contexts?: Record<string, ChatMessage[]>;
  /** Who wrote each completion of the row; written only when one of them is human. */
  sources?: Record<string, WrittenBy>;
  /** Human-written completion → the completion it was rewritten from. */
  parents?: Record<string, string | null>;
};

/** Sync or async stream; every streaming function in lib/datasets accepts either. */
export type AnyIterable<T> = Iterable<T> | AsyncIterable<T>;
