import { writeAudit } from "@/db/queries/audit";
import { createInvite } from "@/db/queries/invites";
import { getUserByEmail } from "@/db/queries/users";
import { apiRoute } from "@/lib/auth/api-route";
import { newLinkToken } from "@/lib/users/password";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { conflict, notFound } from "@/lib/errors";
import { createInviteSchema } from "./schema";

const LINK_LIFETIME_MS = 72 * 3600 * 1000;

/** Creates a one-time invite (or password-reset) link; only its hash is stored. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  body: createInviteSchema,
  handler: async ({ user, body, req }) => {
    const existing = await getUserByEmail({ email: body.email });
    if (body.purpose === "invite" && existing) throw conflict("body.email: a user with this email already exists");
    if (body.purpose === "reset" && !existing) throw notFound("User");
    const { token, hash } = await newLinkToken();
    const expiresAt = new Date(Date.now() + LINK_LIFETIME_MS);
    await createInvite({ tokenHash: hash, email: body.email, role: existing?.role ?? body.role, createdBy: user.id, expiresAt, purpose: body.purpose });
    await writeAudit({ actorId: user.id, action: `${body.purpose}.create`, targetType: "email", targetId: body.email, details: { role: body.role } });
    const url = new URL(`/invite/${token}`, req.url).toString();
    return { url, expiresAt };
  },
});
