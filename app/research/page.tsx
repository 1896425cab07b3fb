import Link from "next/link";
import { Card, PageHeader } from "@/components/ui/card";
import { listProjects } from "@/db/queries/projects";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Research" };

export default async function ResearchHome() {
  await requirePageRole(ROLE_GROUPS.staff, "/research");
  const projects = await listProjects();
  return (
    <>
      <PageHeader title="Research" description="Model versions and their leaderboard, reward models, scores and decoding-preset leaderboards per project." />
      <Card title="Projects">
        <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="research-projects">
          {projects.map((p) => (
            <li key={p.id} className="flex justify-between py-3 text-sm">
              <Link className="font-medium text-indigo-700 hover:underline dark:text-indigo-300" href={`/research/projects/${p.id}`}>{p.name}</Link>
              <span className="text-slate-600 dark:text-slate-400">
                {p.promptCount} prompts · {p.rankingCount} rankings
              </span>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
