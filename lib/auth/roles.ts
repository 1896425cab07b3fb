/** What each role may do (checked on the server, never only in the UI) and where it lands after signing in. */
import type { Role } from "@/lib/users/roles";

/** Where each role lands after signing in. */
export const homeForRole: Record<Role, string> = {
  admin: "/admin",
  researcher: "/research",
  reviewer: "/review",
  annotator: "/annotate",
};

export const ROLE_GROUPS = {
  adminOnly: ["admin"],
  /** Read everything, exports and reward models; no user management. */
  staff: ["admin", "researcher"],
  /** Accept, reject or re-rank submitted rankings. */
  reviewers: ["admin", "reviewer"],
  anyone: ["admin", "researcher", "reviewer", "annotator"],
} as const satisfies Record<string, readonly Role[]>;
