import { submitRanking } from "@/db/queries/rankings";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { assignmentParamsSchema, submitRankingSchema } from "../../schema";

/** Idempotent: a retry with the same submissionKey returns the stored ranking. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: assignmentParamsSchema,
  body: submitRankingSchema,
  handler: async ({ user, params, body }) => {
    const { ranking, duplicate } = await submitRanking({ assignmentId: params.id, userId: user.id, input: body });
    return { rankingId: ranking.id, duplicate };
  },
});
