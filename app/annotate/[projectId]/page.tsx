import { forbidden, notFound } from "next/navigation";
import { z } from "zod";
import { AnnotateSession } from "@/components/annotate/annotate-session";
import { getQueueStatus } from "@/db/queries/gold";
import { isProjectMember } from "@/db/queries/members";
import { MyRankings } from "@/components/annotate/my-rankings";
import { getProjectById } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { worksWithoutMembership } from "@/lib/queue/membership";

export const metadata = { title: "Labeling" };

export default async function AnnotateProjectPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const user = await requirePageRole(ROLE_GROUPS.anyone, `/annotate/${projectId}`);
  const parsed = z.uuid().safeParse(projectId);
  const project = parsed.success ? await getProjectById({ id: parsed.data }) : undefined;
  if (!project || project.status === "archived") notFound();
  // Annotators and reviewers label only the projects they are members of (the API checks the same).
  if (!worksWithoutMembership(user.role) && !(await isProjectMember({ projectId: project.id, userId: user.id }))) forbidden();
  const queue = await getQueueStatus({ projectId: project.id, userId: user.id });
  return (
    <>
      <AnnotateSession projectId={project.id} projectName={project.name} initialQueue={queue} />
      <MyRankings projectId={project.id} />
    </>
  );
}
