import { writeAudit } from "@/db/queries/audit";
import { redeemInvite } from "@/db/queries/invites";
import { apiRoute } from "@/lib/auth/api-route";
import { hashLinkToken, hashPassword } from "@/lib/users/password";
import { acceptInviteSchema } from "../schema";

/** Public: whoever holds a valid one-time link sets their name and password. */
export const POST = apiRoute({
  roles: "public",
  body: acceptInviteSchema,
  maxBodyBytes: 4096,
  handler: async ({ body }) => {
    const user = await redeemInvite({ tokenHash: await hashLinkToken(body.token), name: body.name, passwordHash: await hashPassword(body.password) });
    await writeAudit({ actorId: user.id, action: "invite.accept", targetType: "user", targetId: user.id });
    return { email: user.email };
  },
});
