import { z } from "zod";
import { REVIEW_STATUSES, reviewStatusSchema, type ReviewDecision } from "@/lib/datasets/review-status";

export const reviewParamsSchema = z.object({ id: z.uuid() });

export const reviewQueueQuerySchema = z.object({
  projectId: z.uuid(),
  status: reviewStatusSchema.default("pending"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
}).strict();

const DECISIONS = REVIEW_STATUSES.filter((s): s is ReviewDecision => s !== "pending");

/** accepted / rejected, or adjudicated with the reviewer's `ranks` (completion id → rank, 1 best, ties share a rank). */
export const reviewDecisionSchema = z.object({
  decision: z.enum(DECISIONS as [ReviewDecision, ...ReviewDecision[]]),
  /** The ranking's version the reviewer saw. */
  revision: z.number().int().min(1),
  ranks: z.record(z.string().max(64), z.number().int().min(1).max(9)).optional(),
  note: z.string().trim().max(2000).default(""),
}).strict();
