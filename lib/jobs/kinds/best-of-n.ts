import { z } from "zod";
import { jobKind } from "../define";

/** What a researcher asks for (the route's body); its defaults live here and nowhere else. */
export const bestOfNOptionsSchema = z.object({
  prompt: z.string().trim().min(1).max(4000),
  n: z.number().int().min(2).max(32).default(8),
  temperature: z.number().min(0.1).max(2).default(1.0),
  maxNewTokens: z.number().int().min(1).max(512).default(64),
}).strict();

/** N samples from the project's model for one prompt, ranked by its newest reward model. */
export const bestOfNJob = jobKind({ kind: "best-of-n", payload: bestOfNOptionsSchema.extend({ projectId: z.string() }) });
export type BestOfNPayload = z.infer<typeof bestOfNJob.payload>;
