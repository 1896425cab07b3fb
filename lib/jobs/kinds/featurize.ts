import { z } from "zod";
import { jobKind } from "../define";

/** Caches reward-model features for every completion of a project that has none. */
export const featurizeJob = jobKind({ kind: "featurize", payload: z.object({ projectId: z.string() }) });
