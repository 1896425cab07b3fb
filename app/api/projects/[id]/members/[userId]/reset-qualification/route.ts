import { writeAudit } from "@/db/queries/audit";
import { resetQualification } from "@/db/queries/members";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { memberParamsSchema } from "../../schema";

/** Lets a member take the qualification again, on gold prompts they have not seen. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: memberParamsSchema,
  handler: async ({ user, params }) => {
    const member = await resetQualification({ projectId: params.id, userId: params.userId });
    if (!member) throw notFound("Member");
    await writeAudit({ actorId: user.id, action: "project.members.reset_qualification", targetType: "project", targetId: params.id, details: { userId: params.userId, attempt: member.qualificationAttempt } });
    return { member };
  },
});
