import { z } from "zod";
import { MAX_SHOWN, rewriteTextSchema } from "@/lib/ranking/rewrite";
import { MAX_ASPECTS, MAX_FLAGS, RATING_MAX, RATING_MIN } from "@/lib/ranking/rubric";

export const assignmentParamsSchema = z.object({ id: z.uuid() });

/** Flag and aspect ids are checked against the project's rubric on the server (lib/ranking/rubric.ts rubricProblem). */
const rubricKey = z.string().min(1).max(40);
const rating = z.number().int().min(RATING_MIN).max(RATING_MAX);

/** A response the annotator rewrote: a new, human-written completion ranked under `id` in this submission. */
const rewriteSchema = z.object({
  id: z.uuid(),
  parentId: z.string().max(64),
  text: rewriteTextSchema,
}).strict();

export const submitRankingSchema = z.object({
  ranks: z.record(z.string().max(64), z.number().int().min(1).max(9)).refine((r) => Object.keys(r).length >= 2, "rank at least 2 completions"),
  flags: z.record(z.string().max(64), z.array(rubricKey).max(MAX_FLAGS)).default({}),
  ratings: z.record(z.string().max(64), rating).default({}),
  aspectRatings: z.record(z.string().max(64), z.record(rubricKey, rating).refine((r) => Object.keys(r).length <= MAX_ASPECTS, `at most ${MAX_ASPECTS} aspects`)).default({}),
  rewrites: z.array(rewriteSchema).max(MAX_SHOWN - 2).default([]),
  rationale: z.string().max(5000).default(""),
  timeSpentMs: z.number().int().min(0).max(24 * 3600 * 1000),
  submissionKey: z.uuid(),
  /** The order the client showed; checked against the order stored on the assignment. */
  shownOrder: z.array(z.string().max(64)).max(9).optional(),
}).strict();

export const skipSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
