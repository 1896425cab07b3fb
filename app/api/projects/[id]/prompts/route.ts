import { z } from "zod";
import { writeAudit } from "@/db/queries/audit";
import { requireProject } from "@/db/queries/projects";
import { importPrompts, listPromptsWithCounts } from "@/db/queries/prompts";
import { apiRoute } from "@/lib/auth/api-route";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { badRequest } from "@/lib/errors";
import { parsePromptFile } from "@/lib/datasets/prompt-import";
import { findTooLongPrompts } from "@/lib/generation/prompt-lengths";
import { generationSettingsKey } from "@/lib/generation/settings-key";
import { importPromptsSchema, projectIdParamsSchema } from "../../schema";

export const GET = apiRoute({
  roles: ROLE_GROUPS.staff,
  params: projectIdParamsSchema,
  query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), offset: z.coerce.number().int().min(0).default(0) }),
  handler: async ({ params, query }) => {
    const project = await requireProject({ id: params.id });
    return { prompts: await listPromptsWithCounts({ projectId: params.id, ...query, settingsKey: generationSettingsKey(project) }) };
  },
});

/** Imports a pasted or uploaded file; a file with any bad line is refused whole, with every bad line listed. */
export const POST = apiRoute({
  roles: ROLE_GROUPS.adminOnly,
  params: projectIdParamsSchema,
  body: importPromptsSchema,
  maxBodyBytes: 21 * 1024 * 1024,
  handler: async ({ user, params, body }) => {
    const project = await requireProject({ id: params.id });
    const parsed = parsePromptFile(body.content, body.format);
    if (parsed.errors.length) {
      const first = parsed.errors[0];
      throw badRequest(`line ${first.line}: ${first.message}${parsed.errors.length > 1 ? ` (and ${parsed.errors.length - 1} more bad lines)` : ""}`, { errors: parsed.errors.slice(0, 50) });
    }
    if (parsed.prompts.length === 0) throw badRequest("content: no prompts found");
    const k = project.completionsPerPrompt;
    const wrongK = parsed.prompts.find((p) => p.completions && p.completions.length !== k);
    if (wrongK) throw badRequest(`line ${wrongK.line}: completions: this project wants exactly ${k} completions per prompt, got ${wrongK.completions!.length}`);
    const result = await importPrompts({ projectId: params.id, source: `import:${body.format}`, prompts: parsed.prompts });
    const duplicateLines = result.duplicates.map((i) => parsed.prompts[i].line);
    // Prompts that still need generating and will not fit the model: said now, skipped (with the reason) by the job.
    const dup = new Set(result.duplicates);
    const toGenerate = parsed.prompts.filter((p, i) => !dup.has(i) && !p.completions);
    const long = await findTooLongPrompts(project, toGenerate.map((p) => ({ text: p.text ?? null, messages: p.messages ?? null })));
    const tooLong = long && long.indexes.length ? { lines: long.indexes.map((i) => toGenerate[i].line), context: long.context, maxNewTokens: long.maxNewTokens } : null;
    await writeAudit({ actorId: user.id, action: "prompts.import", targetType: "project", targetId: params.id, details: { format: body.format, added: result.added, duplicates: duplicateLines.length } });
    return { added: result.added, duplicates: duplicateLines, tooLong };
  },
});
