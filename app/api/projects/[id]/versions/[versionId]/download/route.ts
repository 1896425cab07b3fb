import { writeAudit } from "@/db/queries/audit";
import { getProjectVersion } from "@/db/queries/model-versions";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";
import { versionGguf, versionTar } from "@/lib/model-files/version-archive";
import { downloadQuerySchema, versionParamsSchema } from "../../schema";

/** A trained version's Hugging Face folder (?format=hf, a .tar) or GGUF file (?format=gguf), streamed from disk. */
export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: versionParamsSchema,
  query: downloadQuerySchema,
  handler: async ({ user, params, query }) => {
    const version = await getProjectVersion({ projectId: params.id, id: params.versionId });
    if (version.kind !== "trained") throw new AppError("not_found", `Version "${version.name}" has no files here: it is ${version.kind === "base" ? "the project's own model" : "an endpoint"}`);
    const file = query.format === "gguf" ? await versionGguf(version) : await versionTar(version);
    await writeAudit({ actorId: user.id, action: "version.download", targetType: "model_version", targetId: version.id, details: { projectId: params.id, format: query.format } });
    return new Response(file.stream, {
      headers: {
        "Content-Type": file.contentType,
        "Content-Length": String(file.length),
        "Content-Disposition": `attachment; filename="${file.fileName}"`,
        "Cache-Control": "no-store",
      },
    });
  },
});
