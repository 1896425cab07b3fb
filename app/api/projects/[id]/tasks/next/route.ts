import { getAssignmentView } from "@/db/queries/assignment-view";
import { getQueueStatus } from "@/db/queries/gold";
import { requireProjectAccess } from "@/db/queries/members";
import { claimTask } from "@/db/queries/tasks";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { projectIdParamsSchema } from "../../../schema";

/** How long an annotator holds a prompt before it returns to the queue. */
const LEASE_MS = 20 * 60 * 1000;

/** The caller's next task (null when none is left for them) and where they stand: quota, qualification. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: projectIdParamsSchema,
  handler: async ({ user, params }) => {
    await requireProjectAccess({ projectId: params.id, user });
    const assignment = await claimTask({ projectId: params.id, userId: user.id, leaseMs: LEASE_MS });
    const queue = await getQueueStatus({ projectId: params.id, userId: user.id });
    return { task: assignment ? await getAssignmentView({ assignment }) : null, queue };
  },
});
