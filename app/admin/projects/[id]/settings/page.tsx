import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ProjectSettingsForm } from "@/components/admin/project-settings-form";
import { PageHeader } from "@/components/ui/card";
import { getProjectById, projectRubric } from "@/db/queries/projects";
import { PROJECT_STATUSES } from "@/app/api/projects/schema";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Project settings" };

/**
 * Everything PATCH /api/projects/<id> can change. The form sends what changed to that route,
 * which parses it with the same zod schema (app/api/projects/schema.ts) and names a bad field.
 */
export default async function ProjectSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole(ROLE_GROUPS.adminOnly, `/admin/projects/${id}/settings`);
  const parsed = z.uuid().safeParse(id);
  const project = parsed.success ? await getProjectById({ id: parsed.data }) : undefined;
  if (!project) notFound();
  const settings = {
    id: project.id,
    name: project.name,
    status: project.status,
    guidelines: project.guidelines,
    completionsPerPrompt: project.completionsPerPrompt,
    rankingsPerPrompt: project.rankingsPerPrompt,
    revealScores: project.revealScores,
    modelId: project.modelId,
    decodingPresets: project.decodingPresets,
    completionSource: project.completionSource,
    rubric: projectRubric(project),
  };
  return (
    <>
      <PageHeader
        title={`Settings: ${project.name}`}
        description="Changes to K, the model, presets and the source apply to completions generated from now on; rubric changes to rankings submitted from now on."
        actions={<Link href={`/admin/projects/${project.id}`} className="text-sm font-semibold text-indigo-700 underline dark:text-indigo-300">Back to the project</Link>}
      />
      <ProjectSettingsForm project={settings} statuses={PROJECT_STATUSES} />
    </>
  );
}
