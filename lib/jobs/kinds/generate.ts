import { z } from "zod";
import { jobKind } from "../define";

/** Writes K completions for every prompt of a project that has none (resumable prompt by prompt). */
export const generateJob = jobKind({ kind: "generate", payload: z.object({ projectId: z.string() }) });
