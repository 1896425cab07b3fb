import { requireAssignmentAccess } from "@/db/queries/members";
import { skipTask } from "@/db/queries/tasks";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { assignmentParamsSchema, skipSchema } from "../../schema";

export const POST = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: assignmentParamsSchema,
  body: skipSchema,
  handler: async ({ user, params, body }) => {
    await requireAssignmentAccess({ assignmentId: params.id, user });
    await skipTask({ id: params.id, userId: user.id, reason: body.reason });
    return { ok: true };
  },
});
