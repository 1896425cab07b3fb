import { listOwnRankings } from "@/db/queries/ranking-history";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { ownRankingsQuerySchema } from "./schema";

/** The caller's latest rankings in a project with their review status: the ones they may still amend are pending. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.anyone,
  query: ownRankingsQuerySchema,
  handler: async ({ user, query }) => ({ rankings: await listOwnRankings({ projectId: query.projectId, userId: user.id }) }),
});
