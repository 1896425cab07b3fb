import { requireProject } from "@/db/queries/projects";
import { listReviewQueue } from "@/db/queries/reviews";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { reviewQueueQuerySchema } from "./schema";

/** A project's rankings in one review status (pending by default), oldest first; never the caller's own. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.reviewers,
  query: reviewQueueQuerySchema,
  handler: async ({ user, query }) => {
    await requireProject({ id: query.projectId });
    return listReviewQueue({ projectId: query.projectId, reviewerId: user.id, status: query.status, limit: query.limit });
  },
});
