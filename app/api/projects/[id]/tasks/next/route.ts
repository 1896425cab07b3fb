import { getAssignmentView } from "@/db/queries/assignment-view";
import { claimTask } from "@/db/queries/tasks";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { projectIdParamsSchema } from "../../../schema";

/** How long an annotator holds a prompt before it returns to the queue. */
const LEASE_MS = 20 * 60 * 1000;

export const POST = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: projectIdParamsSchema,
  handler: async ({ user, params }) => {
    const assignment = await claimTask({ projectId: params.id, userId: user.id, leaseMs: LEASE_MS });
    if (!assignment) return { task: null };
    return { task: await getAssignmentView({ assignment }) };
  },
});
