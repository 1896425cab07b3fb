import { z } from "zod";
import { roleSchema } from "@/lib/users/roles";

export const userIdParamsSchema = z.object({ id: z.uuid() });

export const updateUserSchema = z
  .object({ role: roleSchema.optional(), disabled: z.boolean().optional(), name: z.string().trim().min(1).max(100).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, "give at least one of role, disabled, name");
export type UpdateUser = z.infer<typeof updateUserSchema>;
