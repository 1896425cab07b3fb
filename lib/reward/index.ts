/**
 * Public API of the reward model: train a scalar head on cached backbone
 * features from human preference pairs, evaluate it, and (de)serialise it.
 */
export type { FeatureSource, PreferencePair, PromptGroup, RewardErrorCode } from "@/lib/reward/types";
export { RewardError, groupPairsByPrompt } from "@/lib/reward/types";
export type { DataCheck } from "@/lib/reward/data";
export { DEFAULT_MIN_PAIRS, splitGroupsByPrompt, validateTrainingData } from "@/lib/reward/data";
export type { Activation, HeadConfig, HeadKind, RewardHead } from "@/lib/reward/head";
export { createScorer } from "@/lib/reward/head";
export type { EpochMetrics, StopReason } from "@/lib/numerics/early-stopping";
export type { RewardTrainConfig } from "@/lib/reward/train-config";
export type { RewardTrainOptions, RewardTrainResult } from "@/lib/reward/train";
export { RewardDivergedError, trainRewardModel } from "@/lib/reward/train";
export type { BucketAccuracy, CalibrationBin, EvaluateOptions, MetricsOptions, PairMetrics, ScoredPair } from "@/lib/reward/metrics";
export { computePairMetrics, evaluateRewardModel, evaluateScores } from "@/lib/reward/metrics";
export type { FinetuneConfig, FinetuneOptions, FinetuneResult } from "@/lib/reward/finetune";
export { FinetuneDivergedError, finetuneRewardModel } from "@/lib/reward/finetune";
export type { FinetunedRewardModel, TokenSource } from "@/lib/reward/finetune-model";
export { createFinetunedScorer, trainedTensors } from "@/lib/reward/finetune-model";
export type { NamedTensor, RewardHeadFileConfig, SerializedRewardHead } from "@/lib/reward/serialize";
export { deserializeRewardHead, rewardHeadFileConfigSchema, serializeRewardHead } from "@/lib/reward/serialize";
