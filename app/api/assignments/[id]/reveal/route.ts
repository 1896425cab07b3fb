import { getScoreReveal } from "@/db/queries/score-reveal";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { assignmentParamsSchema } from "../../schema";

/** The reward model's view of a task the caller already ranked, when the project reveals it (else `{ reveal: null }`). */
export const GET = apiRoute({
  roles: ROLE_GROUPS.anyone,
  params: assignmentParamsSchema,
  handler: async ({ user, params }) => ({ reveal: await getScoreReveal({ assignmentId: params.id, userId: user.id }) }),
});
