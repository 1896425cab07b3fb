import Link from "next/link";
import { Badge, Card, PageHeader } from "@/components/ui/card";
import { listReviewProjects } from "@/db/queries/reviews";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";

export const metadata = { title: "Review" };

export default async function ReviewHome() {
  await requirePageRole(ROLE_GROUPS.reviewers, "/review");
  const projects = await listReviewProjects();
  return (
    <>
      <PageHeader title="Review" description="Accept, reject or re-rank submitted rankings. A rejected ranking stops counting, so its prompt goes back to the queue; a re-ranking replaces the annotator's in exports." />
      <Card title="Projects with rankings">
        {projects.length === 0 ? (
          <p className="text-sm text-slate-600">No rankings to review yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="review-projects">
            {projects.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center justify-between gap-2 py-3 text-sm">
                <Link href={`/review/${p.id}`} className="font-medium text-indigo-700 hover:underline dark:text-indigo-300">{p.name}</Link>
                <span className="flex items-center gap-2 text-slate-600 dark:text-slate-400">
                  {p.pending} of {p.total} rankings waiting <Badge tone={p.status === "active" ? "green" : "slate"}>{p.status}</Badge>
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </>
  );
}
