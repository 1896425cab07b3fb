import { writeAudit } from "@/db/queries/audit";
import { listCompletionsForPrompts } from "@/db/queries/completions";
import { getPromptById, setPromptGold } from "@/db/queries/prompts";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { badRequest, notFound } from "@/lib/errors";
import { goldSchema, promptParamsSchema } from "../../schema";

/** Marks a prompt's known best and/or worst completion (null clears it); annotators' accuracy on gold is shown to admins. */
export const PUT = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: promptParamsSchema,
  body: goldSchema,
  handler: async ({ user, params, body }) => {
    const prompt = await getPromptById({ id: params.id });
    if (!prompt) throw notFound("Prompt");
    const ids = new Set((await listCompletionsForPrompts({ promptIds: [prompt.id] })).map((c) => c.id));
    for (const key of ["best", "worst"] as const) {
      if (body?.[key] && !ids.has(body[key]!)) throw badRequest(`body.${key}: not a completion of this prompt`);
    }
    await setPromptGold({ id: prompt.id, gold: body });
    await writeAudit({ actorId: user.id, action: "prompt.gold", targetType: "prompt", targetId: prompt.id, details: body ?? {} });
    return { ok: true };
  },
});
