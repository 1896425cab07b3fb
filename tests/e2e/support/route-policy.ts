import type { Role } from "@/lib/users/roles";

/**
 * Who may call each route, written down independently of the code. The access
 * test checks that this table lists every route handler and page in app/ (so a
 * new route without an entry fails) and that the server enforces it.
 * `[id]`-style segments are filled with a random UUID.
 */
export type Allowed = readonly Role[] | "public";

const ADMIN = ["admin"] as const;
const STAFF = ["admin", "researcher"] as const;
const REVIEWERS = ["admin", "reviewer"] as const;
const ANYONE = ["admin", "researcher", "reviewer", "annotator"] as const;

export const apiPolicy: Record<string, Partial<Record<"GET" | "POST" | "PATCH" | "PUT" | "DELETE", Allowed>>> = {
  "/api/auth/[...nextauth]": { GET: "public", POST: "public" },
  "/api/health": { GET: "public" },
  "/api/me": { GET: ANYONE },
  "/api/users": { GET: ADMIN },
  "/api/users/[id]": { PATCH: ADMIN },
  "/api/invites": { POST: ADMIN },
  "/api/invites/accept": { POST: "public" },
  "/api/audit": { GET: ADMIN },
  "/api/projects": { GET: STAFF, POST: ADMIN },
  "/api/projects/[id]": { GET: STAFF, PATCH: ADMIN },
  "/api/projects/[id]/prompts": { GET: STAFF, POST: ADMIN },
  "/api/projects/[id]/imports": { GET: ADMIN, POST: ADMIN },
  "/api/projects/[id]/imports/[importId]": { POST: ADMIN, DELETE: ADMIN },
  "/api/projects/[id]/generate": { POST: ADMIN },
  "/api/projects/[id]/generate/skipped": { GET: STAFF, DELETE: ADMIN },
  "/api/projects/[id]/best-of-n": { POST: STAFF },
  "/api/projects/[id]/stats": { GET: STAFF },
  "/api/projects/[id]/reliability": { GET: STAFF },
  "/api/projects/[id]/tasks/next": { POST: ANYONE },
  "/api/projects/[id]/members": { GET: STAFF, POST: ADMIN },
  "/api/projects/[id]/members/[userId]": { PATCH: ADMIN, DELETE: ADMIN },
  "/api/projects/[id]/members/[userId]/reset-qualification": { POST: ADMIN },
  "/api/assignments/[id]/ranking": { POST: ANYONE },
  "/api/assignments/[id]/skip": { POST: ANYONE },
  "/api/assignments/[id]/reveal": { GET: ANYONE },
  "/api/jobs/[id]": { GET: STAFF },
  "/api/jobs/[id]/cancel": { POST: ADMIN },
  "/api/me/progress": { GET: ANYONE },
  "/api/prompts/[id]": { GET: STAFF },
  "/api/prompts/[id]/gold": { PUT: ADMIN },
  "/api/projects/[id]/export": { GET: STAFF },
  "/api/projects/[id]/export/card": { GET: STAFF },
  "/api/projects/[id]/reward-models": { GET: STAFF, POST: STAFF },
  "/api/projects/[id]/research": { GET: STAFF },
  "/api/reward-models/[id]/weights": { GET: STAFF },
  "/api/projects/[id]/versions": { GET: STAFF, POST: ADMIN },
  "/api/projects/[id]/versions/slots": { PUT: ADMIN },
  "/api/projects/[id]/versions/[versionId]/download": { GET: STAFF },
  "/api/reviews": { GET: REVIEWERS },
  "/api/reviews/[id]": { POST: REVIEWERS },
  "/api/rankings": { GET: ANYONE },
  "/api/rankings/[id]": { GET: ANYONE, PUT: ANYONE },
};

export const pagePolicy: Record<string, Allowed> = {
  "/": "public",
  "/login": "public",
  "/invite/[token]": "public",
  "/admin": ADMIN,
  "/admin/users": ADMIN,
  "/admin/projects/new": ADMIN,
  "/admin/projects/[id]": ADMIN,
  "/admin/projects/[id]/import": ADMIN,
  "/admin/projects/[id]/settings": ADMIN,
  "/annotate/[projectId]": ANYONE,
  "/research": STAFF,
  "/research/projects/[id]": STAFF,
  "/annotate": ANYONE,
  "/annotate/[projectId]/amend/[rankingId]": ANYONE,
  "/review": REVIEWERS,
  "/review/[projectId]": REVIEWERS,
  "/admin/projects/[id]/annotators/[userId]": ADMIN,
};
