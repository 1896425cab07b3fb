/**
 * The roles a user can have. Pure, so db/ (row types, the seed),
 * lib/auth (the guards, lib/auth/roles.ts says what each role may do) and
 * the UI share one definition.
 */
import { z } from "zod";

export const roleSchema = z.enum(["admin", "researcher", "reviewer", "annotator"]);
export type Role = z.infer<typeof roleSchema>;
