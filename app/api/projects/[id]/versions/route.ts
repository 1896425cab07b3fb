import { writeAudit } from "@/db/queries/audit";
import { getModelLeaderboardData } from "@/db/queries/model-leaderboard";
import { insertModelVersion } from "@/db/queries/model-versions";
import { requireProject } from "@/db/queries/projects";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { buildVersionsView } from "@/lib/research/versions";
import { projectIdParamsSchema } from "../../schema";
import { createEndpointVersionSchema } from "./schema";

/** The project's model versions, its completion slots and the model leaderboard (staff only: annotators never learn which model wrote what). */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  handler: async ({ params }) => {
    const project = await requireProject({ id: params.id });
    return buildVersionsView({ project, ...(await getModelLeaderboardData({ projectId: project.id })) });
  },
});

/** Adds an OpenAI-compatible endpoint as a version (its API key stays in a STUDIO_SOURCE_KEY_* variable). */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: projectIdParamsSchema,
  body: createEndpointVersionSchema,
  handler: async ({ user, params, body }) => {
    await requireProject({ id: params.id });
    const version = await insertModelVersion({ projectId: params.id, name: body.name, kind: "endpoint", source: body.source, parentId: body.parentId, createdBy: user.id });
    await writeAudit({ actorId: user.id, action: "version.create", targetType: "model_version", targetId: version.id, details: { projectId: params.id, name: body.name } });
    return { version };
  },
});
