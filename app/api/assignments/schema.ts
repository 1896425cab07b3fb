import { z } from "zod";

export const assignmentParamsSchema = z.object({ id: z.uuid() });

const FLAGS = ["harmful", "factually_wrong", "off_topic", "low_quality"] as const;

export const submitRankingSchema = z.object({
  ranks: z.record(z.string().max(64), z.number().int().min(1).max(9)).refine((r) => Object.keys(r).length >= 2, "rank at least 2 completions"),
  flags: z.record(z.string().max(64), z.array(z.enum(FLAGS)).max(FLAGS.length)).default({}),
  ratings: z.record(z.string().max(64), z.number().int().min(1).max(7)).default({}),
  rationale: z.string().max(5000).default(""),
  timeSpentMs: z.number().int().min(0).max(24 * 3600 * 1000),
  submissionKey: z.uuid(),
  /** The order the client showed; checked against the order stored on the assignment. */
  shownOrder: z.array(z.string().max(64)).max(9).optional(),
}).strict();

export const skipSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
