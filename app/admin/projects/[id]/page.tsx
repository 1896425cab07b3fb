import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { GenerationPanel } from "@/components/admin/generation-panel";
import { GoldSettings } from "@/components/admin/gold-settings";
import { MembersPanel } from "@/components/admin/members-panel";
import { PromptImport } from "@/components/admin/prompt-import";
import { PromptsPanel } from "@/components/admin/prompts-panel";
import { RevealToggle } from "@/components/admin/reveal-toggle";
import { StatsPanel } from "@/components/admin/stats-panel";
import { Badge, PageHeader } from "@/components/ui/card";
import { getProjectById } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Project" };

export default async function ProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePageRole(ROLE_GROUPS.adminOnly, `/admin/projects/${id}`);
  const parsed = z.uuid().safeParse(id);
  const project = parsed.success ? await getProjectById({ id: parsed.data }) : undefined;
  if (!project) notFound();
  return (
    <>
      <PageHeader
        title={project.name}
        description={<>K={project.completionsPerPrompt} completions per prompt · N={project.rankingsPerPrompt} rankings per prompt · model {project.modelId} · <Badge tone="green">{project.status}</Badge></>}
        actions={<div className="flex gap-2"><Link href={`/admin/projects/${project.id}/import`} className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-600">Import preference data</Link><Link href={`/admin/projects/${project.id}/settings`} className="rounded-md bg-white px-3 py-2 text-sm font-semibold text-slate-900 ring-1 ring-inset ring-slate-300 hover:bg-slate-50 dark:bg-slate-800 dark:text-slate-100 dark:ring-slate-600">Settings</Link></div>}
      />
      <div className="grid gap-6">
        <RevealToggle projectId={project.id} initial={project.revealScores} />
        <StatsPanel projectId={project.id} />
        <MembersPanel projectId={project.id} />
        <GoldSettings projectId={project.id} initial={{ goldRate: project.goldRate, qualificationSize: project.qualificationSize, qualificationPassMark: project.qualificationPassMark }} />
        <GenerationPanel projectId={project.id} />
        <PromptImport projectId={project.id} />
        <PromptsPanel projectId={project.id} />
      </div>
    </>
  );
}
