import { notFound } from "next/navigation";
import { z } from "zod";
import { AmendSession, type OwnRankingView } from "@/components/annotate/amend-session";
import { PageHeader } from "@/components/ui/card";
import { getOwnRankingView } from "@/db/queries/ranking-history";
import { requirePageRole } from "@/lib/auth/page-guard";
import { ROLE_GROUPS } from "@/lib/auth/roles";
import { AppError } from "@/lib/errors";

export const metadata = { title: "Change your ranking" };

export default async function AmendRankingPage({ params }: { params: Promise<{ projectId: string; rankingId: string }> }) {
  const { projectId, rankingId } = await params;
  const user = await requirePageRole(ROLE_GROUPS.anyone, `/annotate/${projectId}/amend/${rankingId}`);
  const parsed = z.uuid().safeParse(rankingId);
  if (!parsed.success) notFound();
  const view = await getOwnRankingView({ id: parsed.data, userId: user.id }).catch((err: unknown) => {
    // Someone else's ranking reads as not found, like a made-up id.
    if (err instanceof AppError && err.code === "not_found") return null;
    throw err;
  });
  if (!view || view.task.projectId !== projectId) notFound();
  // Round-trip through JSON so the initial data has the same shape (dates as strings) as the route's.
  const initial = JSON.parse(JSON.stringify(view)) as OwnRankingView;
  return (
    <>
      <PageHeader title={`Change your ranking · ${view.task.projectName}`} />
      <AmendSession view={initial} />
    </>
  );
}
