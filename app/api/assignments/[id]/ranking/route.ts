import { submitRankingWithGoldCheck } from "@/db/queries/gold";
import { requireAssignmentAccess } from "@/db/queries/members";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { assignmentParamsSchema, submitRankingSchema } from "../../schema";

/**
 * Idempotent: a retry with the same submissionKey returns the stored ranking.
 * `feedback` is set after a missed gold prompt and after each qualification item.
 */
export const POST = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: assignmentParamsSchema,
  body: submitRankingSchema,
  handler: async ({ user, params, body }) => {
    await requireAssignmentAccess({ assignmentId: params.id, user });
    const { ranking, duplicate, feedback } = await submitRankingWithGoldCheck({ assignmentId: params.id, userId: user.id, input: body });
    return { rankingId: ranking.id, duplicate, feedback };
  },
});
