import { notFound } from "next/navigation";
import { z } from "zod";
import { AnnotateSession } from "@/components/annotate/annotate-session";
import { MyRankings } from "@/components/annotate/my-rankings";
import { getProjectById } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Labeling" };

export default async function AnnotateProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await requirePageRole(ROLE_GROUPS.anyone, `/annotate/${projectId}`);
  const parsed = z.uuid().safeParse(projectId);
  const project = parsed.success ? await getProjectById({ id: parsed.data }) : undefined;
  if (!project || project.status === "archived") notFound();
  return (
    <>
      <AnnotateSession projectId={project.id} projectName={project.name} />
      <MyRankings projectId={project.id} />
    </>
  );
}
