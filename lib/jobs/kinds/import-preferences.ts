import { z } from "zod";
import { jobKind } from "../define";

/** Stores an uploaded preference file that was validated on the import page (its import run says which file and how). */
export const importPreferencesJob = jobKind({ kind: "import-preferences", payload: z.object({ runId: z.uuid() }) });
