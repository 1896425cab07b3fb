import { writeAudit } from "@/db/queries/audit";
import { removeMember, updateMember } from "@/db/queries/members";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { memberParamsSchema, updateMemberSchema } from "../schema";

/** Changes a member's role, quota, tags or languages (null clears a limit). */
export const PATCH = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: memberParamsSchema,
  body: updateMemberSchema,
  handler: async ({ user, params, body }) => {
    const member = await updateMember({ projectId: params.id, userId: params.userId, ...body });
    if (!member) throw notFound("Member");
    await writeAudit({ actorId: user.id, action: "project.members.update", targetType: "project", targetId: params.id, details: { userId: params.userId, ...body } });
    return { member };
  },
});

/** Removes a member; the prompts they hold go back to the queue. Their rankings stay. */
export const DELETE = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: memberParamsSchema,
  handler: async ({ user, params }) => {
    if (!(await removeMember({ projectId: params.id, userId: params.userId }))) throw notFound("Member");
    await writeAudit({ actorId: user.id, action: "project.members.remove", targetType: "project", targetId: params.id, details: { userId: params.userId } });
    return { ok: true };
  },
});
