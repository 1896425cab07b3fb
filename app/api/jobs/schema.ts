import { z } from "zod";

export const jobParamsSchema = z.object({ id: z.uuid() });
