import { writeAudit } from "@/db/queries/audit";
import { countActiveAdmins, getUserById, updateUser } from "@/db/queries/users";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { badRequest, notFound } from "@/lib/errors";
import { updateUserSchema, userIdParamsSchema } from "../schema";

export const PATCH = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: userIdParamsSchema,
  body: updateUserSchema,
  handler: async ({ user, params, body }) => {
    const target = await getUserById({ id: params.id });
    if (!target) throw notFound("User");
    const losesAdmin = target.role === "admin" && !target.disabled && (body.disabled === true || (body.role && body.role !== "admin"));
    // Never lock everyone out: the last enabled admin stays an enabled admin.
    if (losesAdmin && (await countActiveAdmins()) <= 1) throw badRequest("body: cannot demote or disable the last admin");
    if (target.id === user.id && body.disabled) throw badRequest("body.disabled: you cannot disable yourself");
    const updated = await updateUser({ id: params.id, ...body });
    await writeAudit({ actorId: user.id, action: "user.update", targetType: "user", targetId: params.id, details: body });
    return { user: { id: updated!.id, email: updated!.email, name: updated!.name, role: updated!.role, disabled: updated!.disabled } };
  },
});
