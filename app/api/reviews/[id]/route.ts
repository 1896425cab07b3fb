import { writeAudit } from "@/db/queries/audit";
import { reviewRanking } from "@/db/queries/reviews";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { reviewDecisionSchema, reviewParamsSchema } from "../schema";

/** Accept, reject (the prompt returns to the queue) or re-rank ranking `id`; once per ranking, audited. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.reviewers,
  params: reviewParamsSchema,
  body: reviewDecisionSchema,
  handler: async ({ user, params, body }) => {
    const { ranking, review } = await reviewRanking({ rankingId: params.id, reviewerId: user.id, ...body });
    await writeAudit({ actorId: user.id, action: "ranking.review", targetType: "ranking", targetId: ranking.id, details: { decision: review.decision, revision: review.revision } });
    return { rankingId: ranking.id, reviewStatus: ranking.reviewStatus, reviewId: review.id };
  },
});
