/**
 * The reward trainer's hyper-parameters and their argument checks. Plain
 * checks rather than zod: the config is already parsed at the API boundary;
 * these catch programming errors and name the bad value instead of clamping it.
 * The type lives here, not in ./train.ts, so the two files do not import each
 * other.
 */
import type { Activation, HeadKind } from "@/lib/reward/head";
import { RewardError } from "@/lib/reward/types";

/** Hyper-parameters of one run; every field is used. */
export interface RewardTrainConfig {
  head: HeadKind;
  /** Hidden width of the MLP head (ignored for linear). */
  hidden: number;
  /** MLP activation; default "gelu". */
  activation?: Activation;
  lr: number;
  weightDecay: number;
  epochs: number;
  /** Prompt groups per optimizer step. */
  batchSize: number;
  /** Epochs without a new best validation loss before stopping. */
  patience: number;
  seed: number;
  /** Coefficient of the mean((r_c + r_r)²) auxiliary loss; default 0 (off). */
  rewardCentering?: number;
  /** Fewest training pairs accepted; default {@link DEFAULT_MIN_PAIRS}. */
  minPairs?: number;
}

function fail(message: string): never {
  throw new RewardError("invalid_config", message);
}

const isPositiveInt = (x: number): boolean => Number.isInteger(x) && x >= 1;

/** Throws a RewardError("invalid_config") naming the first bad field. */
export function checkTrainConfig(c: RewardTrainConfig): void {
  if (c.head !== "linear" && c.head !== "mlp") fail(`head must be "linear" or "mlp", got ${String(c.head)}`);
  if (c.head === "mlp" && !isPositiveInt(c.hidden)) fail(`hidden must be a positive integer, got ${c.hidden}`);
  if (c.activation !== undefined && c.activation !== "gelu" && c.activation !== "relu") {
    fail(`activation must be "gelu" or "relu", got ${String(c.activation)}`);
  }
  checkOptimizerFields(c);
}

/** The fields both reward trainers share (frozen-feature head and fine-tuned layers). */
export type OptimizerFields = Pick<RewardTrainConfig, "lr" | "weightDecay" | "epochs" | "batchSize" | "patience" | "seed" | "rewardCentering" | "minPairs">;

/** Throws a RewardError("invalid_config") naming the first bad optimizer or data field. */
export function checkOptimizerFields(c: OptimizerFields): void {
  if (!(c.lr > 0 && Number.isFinite(c.lr))) fail(`lr must be a finite number > 0, got ${c.lr}`);
  if (!(c.weightDecay >= 0 && Number.isFinite(c.weightDecay))) fail(`weightDecay must be >= 0, got ${c.weightDecay}`);
  if (!isPositiveInt(c.epochs)) fail(`epochs must be a positive integer, got ${c.epochs}`);
  if (!isPositiveInt(c.batchSize)) fail(`batchSize must be a positive integer, got ${c.batchSize}`);
  if (!(isPositiveInt(c.patience) || c.patience === Number.POSITIVE_INFINITY)) {
    fail(`patience must be a positive integer or Infinity, got ${c.patience}`);
  }
  // The RNG (lib/numerics) takes non-negative safe integers; refusing here keeps the error a RewardError.
  if (!(Number.isSafeInteger(c.seed) && c.seed >= 0)) fail(`seed must be a non-negative safe integer, got ${c.seed}`);
  const centering = c.rewardCentering ?? 0;
  if (!(centering >= 0 && Number.isFinite(centering))) fail(`rewardCentering must be >= 0, got ${c.rewardCentering}`);
  if (c.minPairs !== undefined && !(Number.isInteger(c.minPairs) && c.minPairs >= 1)) {
    fail(`minPairs must be a positive integer, got ${c.minPairs}`);
  }
}
