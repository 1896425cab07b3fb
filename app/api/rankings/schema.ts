import { z } from "zod";
import { submitRankingSchema } from "../assignments/schema";

export const rankingParamsSchema = z.object({ id: z.uuid() });

export const ownRankingsQuerySchema = z.object({ projectId: z.uuid() }).strict();

/** A new version of one's own ranking: what a submission carries, plus the version it replaces. */
export const amendRankingSchema = submitRankingSchema.extend({ revision: z.number().int().min(1) });
