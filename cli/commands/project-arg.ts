/** Resolves `--project` (an id or a name) to a project row, for the export and import commands. */
import type { z } from "zod";
import { getProjectById, getProjectByName, type ProjectRow } from "@/db/queries/projects";

export async function resolveProject(idOrName: string | undefined): Promise<ProjectRow> {
  if (!idOrName) throw new Error("--project: required (a project id or name)");
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrName);
  const project = uuid ? await getProjectById({ id: idOrName }) : await getProjectByName({ name: idOrName });
  if (!project) throw new Error(`--project: no project with ${uuid ? "id" : "name"} "${idOrName}"`);
  return project;
}

/** The first flag error as "--flag: message" (zod paths are camelCase option names). */
export function describeFlagError(error: z.ZodError): string {
  const issue = error.issues[0];
  const flag = String(issue?.path[0] ?? "flags").replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `--${flag}: ${issue?.message ?? "invalid"}`;
}
