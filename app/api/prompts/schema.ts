import { z } from "zod";

export const promptParamsSchema = z.object({ id: z.uuid() });
export const goldSchema = z.object({ best: z.string().max(64).optional(), worst: z.string().max(64).optional() }).strict().nullable();
