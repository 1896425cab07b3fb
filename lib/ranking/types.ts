/** The contract between the ranking screen and the page/API that hosts it. */
import type { Rewrite } from "./rewrite";
import type { Rubric } from "./rubric";

export interface RankingTask {
  assignmentId: string;
  projectId: string;
  /** Markdown. */
  guidelines: string;
  /** What to ask for: rank scale, flags, overall rating, aspects. */
  rubric: Rubric;
  prompt: { text: string | null; messages: { role: string; content: string }[] | null };
  /**
   * Already in the order to show (shuffled per annotator by the server); no model names, to avoid
   * bias. Identical texts are shown once by the screen (lib/ranking/identical.ts).
   */
  completions: { id: string; text: string }[];
  /** ISO timestamp; null when there is no lease (amending a submitted ranking). */
  leaseExpiresAt: string | null;
}

export interface RankingSubmission {
  /** completion id -> rank, 1 = best; equal numbers are ties; dense (1,1,2,3…). Rewrites included. */
  ranks: Record<string, number>;
  /** completion id -> ids of the rubric's flags. */
  flags: Record<string, string[]>;
  /** Optional overall 1..7, only for the completions that were rated. */
  ratings: Record<string, number>;
  /** completion id -> aspect id -> 1..7, only for what was rated. */
  aspectRatings: Record<string, Record<string, number>>;
  /** Responses the annotator rewrote; their ids appear in the maps above. */
  rewrites: Rewrite[];
  rationale: string;
  timeSpentMs: number;
  /** The task's completions in the order the server sent them (identical ones included, rewrites not). */
  shownOrder: string[];
  /** UUID generated once per task and kept in the draft, so a retry or double click is idempotent. */
  submissionKey: string;
}
