import { requireProject } from "@/db/queries/projects";
import { getResearchData } from "@/db/queries/research";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { buildResearchView } from "@/lib/research/build";
import { projectIdParamsSchema } from "../../schema";

/** Reward scores beside human ranks, disagreements, reward by preset and the preset leaderboard (staff only: annotators never see scores). */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    await requireProject({ id: params.id });
    return buildResearchView(await getResearchData({ projectId: params.id }));
  },
});
