"use client";

import { describePlacement, responseLabel } from "@/lib/ranking/announce";
import type { DraftAction } from "@/lib/ranking/draft";
import { planShortcut, type Shortcut } from "@/lib/ranking/keys";
import type { RankScale } from "@/lib/ranking/rubric";
import { isCompleteFor } from "@/lib/ranking/scale";
import { reduceRanking, type RankingAction, type RankingState } from "@/lib/ranking/state";

/** What a ranking action did, for the live region; says so when the key changed nothing. */
function announcement(before: RankingState, after: RankingState, action: RankingAction, scale: RankScale): string {
  if (action.type === "allEqual" || action.type === "reset") return action.type === "reset" ? "Ranking cleared." : "All responses tied at rank 1.";
  const label = responseLabel(before.shown, action.id);
  if (after === before) return action.type === "moveUp" || action.type === "moveDown" ? `${label} cannot move further.` : `${label}: nothing to change.`;
  const done = isCompleteFor(after, scale) && !isCompleteFor(before, scale) ? ` ${scale === "best" ? "Best response picked" : "All responses ranked"}; press Enter to submit.` : "";
  if (scale === "best") return `${label}: ${action.type === "clearRank" ? "not best" : "best"}.${done}`;
  return describePlacement(after, action.id) + done;
}

interface Options {
  ranking: RankingState;
  scale: RankScale;
  /** Loading, submitting or done: nothing may change. */
  locked: boolean;
  announce: (text: string) => void;
  dispatch: (action: DraftAction) => void;
  focusCard: (id: string) => void;
  submit: () => Promise<void>;
  openHelp: () => void;
}

/** What the screen's keys and buttons do: change the draft, say so in the live region, move focus. */
export function useRankingActions({ ranking, scale, locked, announce, dispatch, focusCard, submit, openHelp }: Options) {
  function act(action: RankingAction, focusId?: string) {
    if (locked) return;
    announce(announcement(ranking, reduceRanking(ranking, action), action, scale));
    dispatch({ type: "rank", action });
    if (focusId) focusCard(focusId);
  }

  function onShortcut(s: Shortcut, id: string | null) {
    if (s.type === "help") return openHelp();
    if (s.type === "submit") return void submit();
    if (!id) return;
    const plan = planShortcut(ranking, s, id);
    if (plan.action) act(plan.action, plan.focus);
    else focusCard(plan.focus);
  }

  function onRewriteAdded(id: string, parentId: string) {
    const after = [...ranking.shown, id];
    announce(`${responseLabel(after, id)} added: your rewrite of ${responseLabel(after, parentId)}. Rank it with the others.`);
    focusCard(id);
  }

  function allBad(flag: string) {
    if (locked) return;
    announce("All responses tied and flagged as low quality.");
    dispatch({ type: "allBad", flag });
  }

  return { act, onShortcut, onRewriteAdded, allBad };
}
