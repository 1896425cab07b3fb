import { notFound } from "next/navigation";
import { z } from "zod";
import { ResearchDashboard } from "@/components/research/research-dashboard";
import type { ResearchData } from "@/components/research/use-research";
import { VersionsSection } from "@/components/research/versions-section";
import { PageHeader } from "@/components/ui/card";
import { getProjectById } from "@/db/queries/projects";
import { listProjectAnnotators } from "@/db/queries/rankings";
import { getModelLeaderboardData } from "@/db/queries/model-leaderboard";
import { getResearchData } from "@/db/queries/research";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { FORMAT_CHOICES } from "@/lib/datasets/registry";
import { buildResearchView } from "@/lib/research/build";
import { buildVersionsView, type VersionsView } from "@/lib/research/versions";

export const metadata = { title: "Research project" };

export default async function ResearchProjectPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePageRole(ROLE_GROUPS.staff, `/research/projects/${id}`);
  const parsed = z.uuid().safeParse(id);
  const project = parsed.success ? await getProjectById({ id: parsed.data }) : undefined;
  if (!project) notFound();
  // Round-trip through JSON so the initial data has the same shape (dates as strings) as the route's.
  const initialData = JSON.parse(JSON.stringify(buildResearchView(await getResearchData({ projectId: project.id })))) as ResearchData;
  const versions = JSON.parse(JSON.stringify(buildVersionsView({ project, ...(await getModelLeaderboardData({ projectId: project.id })) }))) as VersionsView;
  return (
    <>
      <PageHeader title={project.name} description={`Model versions and their leaderboard, reward models, scores and decoding-preset leaderboard · model ${project.modelId}`} />
      <div className="grid gap-6">
        <VersionsSection projectId={project.id} initialData={versions} canEditSlots={user.role === "admin"} />
        <ResearchDashboard projectId={project.id} initialData={initialData} canCancel={user.role === "admin"} exportFormats={FORMAT_CHOICES} exportAnnotators={await listProjectAnnotators({ projectId: project.id })} />
      </div>
    </>
  );
}
