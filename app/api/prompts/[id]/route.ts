import { listCompletionsForPrompts } from "@/db/queries/completions";
import { getPromptById } from "@/db/queries/prompts";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";
import { verdictFor } from "@/lib/tasks/verdict";
import { promptParamsSchema } from "../schema";

/** A prompt with its completions and how each was made (staff only: annotators never see models or presets). */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: promptParamsSchema,
  handler: async ({ params }) => {
    const prompt = await getPromptById({ id: params.id });
    if (!prompt) throw notFound("Prompt");
    const completions = (await listCompletionsForPrompts({ promptIds: [prompt.id] })).map((c) => ({
      id: c.id, text: c.text, modelId: c.modelId, presetName: c.presetName, seed: c.seed, tokenCount: c.tokenCount, finishReason: c.finishReason, decodingConfig: c.decodingConfig,
      verdict: verdictFor(prompt, c.text),
    }));
    return { prompt: { id: prompt.id, text: prompt.text, messages: prompt.messages, gold: prompt.gold, verifierId: prompt.verifierId }, completions };
  },
});
