/** The queue's answers as the annotate page receives them (shared by the query layer and the client). */
import type { QualificationStatus } from "./qualification";

export interface QualificationProgress {
  status: QualificationStatus;
  /** Items of the current attempt submitted or skipped, and how many of them were right. */
  done: number;
  correct: number;
  size: number;
  needed: number;
}

export interface QueueStatus {
  quota: number | null;
  /** Regular rankings the caller submitted in the project (what the quota counts). */
  submitted: number;
  quotaReached: boolean;
  /** The caller's qualification attempt while they still have to qualify, else null. */
  qualification: QualificationProgress | null;
}

/** What the annotator is shown after submitting a gold prompt they missed, or any qualification item. */
export interface GoldFeedback {
  kind: "gold" | "qualification";
  miss: boolean;
  /** The known best and worst completion ids (either may be unknown). */
  expected: { best: string | null; worst: string | null };
  rationale: string;
  /** The member's qualification attempt after this item (qualification items only). */
  qualification: QualificationProgress | null;
}
