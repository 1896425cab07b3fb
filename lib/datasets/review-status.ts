/**
 * Where a submitted ranking stands in review: the one list the rankings
 * table, the review routes, the export request schema, the export form and
 * `studio export --review-status` read.
 */
import { z } from "zod";

export const REVIEW_STATUSES = ["pending", "accepted", "adjudicated", "rejected"] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
/** What a review decides: every status but "pending". */
export type ReviewDecision = Exclude<ReviewStatus, "pending">;

export const reviewStatusSchema = z.enum(REVIEW_STATUSES);

export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = {
  pending: "pending (not reviewed yet)",
  accepted: "accepted",
  adjudicated: "adjudicated (re-ranked by a reviewer)",
  rejected: "rejected",
};

/**
 * What an export keeps unless asked otherwise: everything but rejected
 * rankings, which a reviewer judged unusable (their prompts went back to the queue).
 */
export const DEFAULT_EXPORT_REVIEW_STATUSES: readonly ReviewStatus[] = ["pending", "accepted", "adjudicated"];

export type ReviewCounts = Record<ReviewStatus, number>;

/**
 * Share of reviewed rankings a reviewer accepted as submitted; an
 * adjudicated (re-ranked) or rejected one was not. Null before any review.
 */
export function acceptanceRate(c: ReviewCounts): number | null {
  const reviewed = c.accepted + c.adjudicated + c.rejected;
  return reviewed === 0 ? null : c.accepted / reviewed;
}
