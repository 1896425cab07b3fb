/**
 * Shared data types of the reward model: preference pairs, prompt groups and
 * the feature source (cached backbone hidden states, one vector per completion).
 */

/** One human preference: `chosenId` was ranked above `rejectedId` for `promptId`. */
export interface PreferencePair {
  promptId: string;
  chosenId: string;
  rejectedId: string;
  /** Required reward gap (Llama 2 style "much better" margin); 0 when absent. */
  margin?: number;
  annotatorId?: string;
  /** Fraction of annotators who agree with this ordering, in [0, 1]. */
  agreement?: number;
}

/**
 * All pairs of one prompt. InstructGPT trains on a prompt's pairs together so
 * each completion is scored once and the prompt counts once, however many
 * pairs its ranking produced.
 */
export interface PromptGroup {
  promptId: string;
  pairs: PreferencePair[];
}

/** Cached features: final hidden state of the last token of prompt + completion. */
export type FeatureSource =
  | ReadonlyMap<string, Float32Array>
  | ((completionId: string) => Float32Array | undefined);

/** Error codes a caller can branch on (a job marks the run failed with the message). */
export type RewardErrorCode =
  | "invalid_config"
  | "insufficient_pairs"
  | "single_annotator"
  | "no_validation"
  | "missing_features"
  | "invalid_features"
  | "invalid_pair"
  | "invalid_head"
  | "diverged";

/** The one error type of lib/reward; the message names the bad value. */
export class RewardError extends Error {
  readonly code: RewardErrorCode;

  constructor(code: RewardErrorCode, message: string) {
    super(message);
    this.name = "RewardError";
    this.code = code;
  }
}

/** Resolves a completion's features from either form of {@link FeatureSource}. */
export function lookupFeatures(source: FeatureSource, id: string): Float32Array | undefined {
  return typeof source === "function" ? source(id) : source.get(id);
}

/** Groups a flat list of pairs by prompt, keeping first-seen prompt order. */
export function groupPairsByPrompt(pairs: Iterable<PreferencePair>): PromptGroup[] {
  const byPrompt = new Map<string, PromptGroup>();
  for (const pair of pairs) {
    let group = byPrompt.get(pair.promptId);
    if (!group) {
      group = { promptId: pair.promptId, pairs: [] };
      byPrompt.set(pair.promptId, group);
    }
    group.pairs.push(pair);
  }
  return [...byPrompt.values()];
}
