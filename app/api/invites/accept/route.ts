import { writeAudit } from "@/db/queries/audit";
import { findRedeemableInvite, redeemInvite } from "@/db/queries/invites";
import { apiRoute } from "@/lib/auth/api-route";
import { inviteFailureWindow, requestAddress } from "@/lib/auth/attempt-limits";
import { AppError } from "@/lib/errors";
import { hashLinkToken, hashPassword } from "@/lib/users/password";
import { acceptInviteSchema } from "../schema";

/**
 * Public: whoever holds a valid one-time link sets their name and password.
 * The token is checked before the password is hashed (bcrypt is the slow
 * part), and failed attempts per client address are limited; an attempt is
 * counted before any work and taken back when it succeeds.
 */
export const POST = apiRoute({
  roles: "public",
  body: acceptInviteSchema,
  maxBodyBytes: 4096,
  handler: async ({ body, req }) => {
    const refund = inviteFailureWindow().take(requestAddress(req.headers));
    if (!refund) throw new AppError("rate_limited", "Too many invite attempts from your address; try again in a few minutes");
    const tokenHash = await hashLinkToken(body.token);
    if (!(await findRedeemableInvite({ tokenHash }))) throw new AppError("gone", "This link is invalid, expired or already used");
    // redeemInvite checks the link again inside its transaction, so two racing requests still redeem it once.
    const user = await redeemInvite({ tokenHash, name: body.name, passwordHash: await hashPassword(body.password) });
    refund();
    await writeAudit({ actorId: user.id, action: "invite.accept", targetType: "user", targetId: user.id });
    return { email: user.email };
  },
});
