import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { listProjects } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { worksWithoutMembership } from "@/lib/queue/membership";

export const metadata = { title: "My queue" };

export default async function AnnotateHome() {
  const user = await requirePageRole(ROLE_GROUPS.anyone, "/annotate");
  // Annotators and reviewers see only the projects they are members of.
  const all = await listProjects(worksWithoutMembership(user.role) ? {} : { memberId: user.id });
  const projects = all.filter((p) => p.status === "active");
  return (
    <>
      <PageHeader title="My queue" description={`Welcome, ${user.name}. Pick a project to start labeling.`} />
      <Card title="Active projects">
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="annotate-projects">
          {projects.map((p) => (
            <li key={p.id} className="flex justify-between py-3 text-sm">
              <Link href={`/annotate/${p.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{p.name}</Link>
              <span className="text-slate-600 dark:text-slate-400">{p.promptCount} prompts</span>
            </li>
          ))}
        </ul>
        {projects.length === 0 ? (
          <p className="text-sm text-slate-700 dark:text-slate-300" role="status">
            {worksWithoutMembership(user.role) ? "No project is accepting rankings right now." : "You are not a member of any active project yet. An admin adds you to the projects you work on."}
          </p>
        ) : null}
      </Card>
    </>
  );
}
