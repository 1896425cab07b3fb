import "server-only";
import { iterateExportGroups } from "@/db/queries/export-data";
import { listProjectFeatures } from "@/db/queries/reward-models";
import { exportPairs } from "@/lib/datasets/pipeline";
import { bytesToFeatures } from "@/lib/model-files/features";
import { groupPairsByPrompt, splitGroupsByPrompt, type PreferencePair, type PromptGroup } from "@/lib/reward";

export interface RewardData {
  features: Map<string, Float32Array>;
  train: PromptGroup[];
  val: PromptGroup[];
  test: PromptGroup[];
  /** Pairs left out because a completion has no features (added after featurizing). */
  droppedPairs: number;
  promptCount: number;
}

/**
 * A project's rankings as reward-model data: raw-mode pairs (every
 * annotator's own pairs, ties dropped), split by prompt into train,
 * validation (early stopping) and test (the reported held-out figures), so
 * no prompt is in two of them.
 */
export async function loadRewardData(opts: { projectId: string; testFraction: number; valFraction: number; seed: number }): Promise<RewardData> {
  const stored = await listProjectFeatures({ projectId: opts.projectId });
  const features = new Map([...stored].map(([id, b]) => [id, bytesToFeatures(b)]));
  const bad = [...features].filter(([, x]) => !x.every(Number.isFinite)).map(([id]) => id);
  if (bad.length > 0) throw new Error(`features of ${bad.length} completion(s) are not finite (e.g. ${bad[0]}): the backbone produced NaN or ∞`);
  const pairs: PreferencePair[] = [];
  let droppedPairs = 0;
  for await (const p of exportPairs(iterateExportGroups({ projectId: opts.projectId }), { mode: "raw", ties: "drop", margin: false })) {
    if (!features.has(p.chosenId) || !features.has(p.rejectedId)) {
      droppedPairs++;
      continue;
    }
    pairs.push({ promptId: p.promptId, chosenId: p.chosenId, rejectedId: p.rejectedId, annotatorId: p.annotatorId, agreement: p.agreement });
  }
  const groups = groupPairsByPrompt(pairs);
  if (groups.length < 3) return { features, train: groups, val: [], test: [], droppedPairs, promptCount: groups.length };
  const outer = splitGroupsByPrompt(groups, opts.testFraction, opts.seed);
  const inner = splitGroupsByPrompt(outer.train, opts.valFraction, opts.seed + 1);
  return { features, train: inner.train, val: inner.val, test: outer.val, droppedPairs, promptCount: groups.length };
}
