import { z } from "zod";

export const promptParamsSchema = z.object({ id: z.uuid() });
/** A gold prompt's known best and/or worst completion and why (shown to annotators who miss it); null clears it. */
export const goldSchema = z
  .object({ best: z.string().max(64).optional(), worst: z.string().max(64).optional(), rationale: z.string().trim().max(2000).optional() })
  .strict()
  .refine((g) => g.best !== undefined || g.worst !== undefined, "give best or worst (or null to clear)")
  .refine((g) => g.best === undefined || g.best !== g.worst, "best and worst must be different completions")
  .nullable();
