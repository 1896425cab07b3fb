import { amendRanking, getOwnRankingView } from "@/db/queries/ranking-history";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { amendRankingSchema, rankingParamsSchema } from "../schema";

/** One's own ranking with the task it ranks and its earlier versions (someone else's: 404). */
export const GET = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: rankingParamsSchema,
  handler: async ({ user, params }) => getOwnRankingView({ id: params.id, userId: user.id }),
});

/** Amend one's own ranking until it is reviewed; the replaced version is kept. Idempotent by submissionKey. */
export const PUT = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: rankingParamsSchema,
  body: amendRankingSchema,
  handler: async ({ user, params, body }) => {
    const { revision, shownOrder: _shown, ...input } = body;
    const { ranking, duplicate } = await amendRanking({ rankingId: params.id, userId: user.id, revision, input });
    return { rankingId: ranking.id, revision: ranking.revision, duplicate };
  },
});
