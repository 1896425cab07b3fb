import { z } from "zod";
import { listAudit } from "@/db/queries/audit";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const GET = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  query: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(100) }),
  handler: async ({ query }) => ({ entries: await listAudit({ limit: query.limit }) }),
});
