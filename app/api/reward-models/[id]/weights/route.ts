import { z } from "zod";
import { getRewardModel } from "@/db/queries/reward-models";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { notFound } from "@/lib/errors";

const paramsSchema = z.object({ id: z.uuid() });

/** The reward head as safetensors (config in __metadata__; tensor names follow nn.Linear). */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: paramsSchema,
  handler: async ({ params }) => {
    const model = await getRewardModel({ id: params.id });
    if (!model?.weights) throw notFound("Reward model weights");
    return new Response(new Uint8Array(model.weights), {
      headers: {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": `attachment; filename="reward-model-v${model.version}.safetensors"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
