/** The three roles and what each may do (checked on the server, never only in the UI). */
import { z } from "zod";

export const roleSchema = z.enum(["admin", "researcher", "annotator"]);
export type Role = z.infer<typeof roleSchema>;

/** Where each role lands after signing in. */
export const homeForRole: Record<Role, string> = {
  admin: "/admin",
  researcher: "/research",
  annotator: "/annotate",
};

export const ROLE_GROUPS = {
  adminOnly: ["admin"],
  /** Read everything, exports and reward models; no user management. */
  staff: ["admin", "researcher"],
  anyone: ["admin", "researcher", "annotator"],
} as const satisfies Record<string, readonly Role[]>;
