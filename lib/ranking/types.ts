/** The contract between the ranking screen and the page/API that hosts it. */

export const FLAGS = ["harmful", "factually_wrong", "off_topic", "low_quality"] as const;
export type Flag = (typeof FLAGS)[number];

export const FLAG_LABELS: Record<Flag, string> = {
  harmful: "Harmful",
  factually_wrong: "Factually wrong",
  off_topic: "Off-topic",
  low_quality: "Low quality",
};

export const RATING_MIN = 1;
export const RATING_MAX = 7;

export interface RankingTask {
  assignmentId: string;
  projectId: string;
  /** Markdown. */
  guidelines: string;
  prompt: { text: string | null; messages: { role: string; content: string }[] | null };
  /** Already in the order to show (shuffled per annotator by the server); no model names, to avoid bias. */
  completions: { id: string; text: string }[];
  /** ISO timestamp; null when there is no lease (amending a submitted ranking). */
  leaseExpiresAt: string | null;
}

export interface RankingSubmission {
  /** completion id -> rank, 1 = best; equal numbers are ties; dense (1,1,2,3…). */
  ranks: Record<string, number>;
  flags: Record<string, Flag[]>;
  /** Optional 1..7, only for the completions that were rated. */
  ratings: Record<string, number>;
  rationale: string;
  timeSpentMs: number;
  shownOrder: string[];
  /** UUID generated once per task and kept in the draft, so a retry or double click is idempotent. */
  submissionKey: string;
}
