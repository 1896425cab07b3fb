import { z } from "zod";
import { roleSchema } from "@/lib/users/roles";

export const createInviteSchema = z.object({
  email: z.email().max(320),
  role: roleSchema,
  purpose: z.enum(["invite", "reset"]).default("invite"),
}).strict();

export const acceptInviteSchema = z.object({
  token: z.string().min(20).max(100),
  name: z.string().trim().min(1).max(100),
  password: z.string().min(8, "at least 8 characters").max(200),
}).strict();
