import { notFound } from "next/navigation";
import { z } from "zod";
import { ReviewSession } from "@/components/review/review-session";
import { PageHeader } from "@/components/ui/card";
import { getProjectById } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Review rankings" };

export default async function ReviewProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  await requirePageRole(ROLE_GROUPS.reviewers, `/review/${projectId}`);
  const parsed = z.uuid().safeParse(projectId);
  const project = parsed.success ? await getProjectById({ id: parsed.data }) : undefined;
  if (!project) notFound();
  return (
    <>
      <PageHeader title={`Review: ${project.name}`} description={`N=${project.rankingsPerPrompt} rankings per prompt. You never see your own rankings here.`} />
      <ReviewSession projectId={project.id} />
    </>
  );
}
