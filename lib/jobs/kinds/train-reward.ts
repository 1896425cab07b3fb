import { z } from "zod";
import { jobKind } from "../define";

/** A reward-model training run's settings (the route's body); the defaults live here and nowhere else. */
export const trainRewardOptionsSchema = z.object({
  /** "frozen": a head on cached features (fast); "finetune": also train the backbone's top layers (Llama HF folders). */
  mode: z.enum(["frozen", "finetune"]).default("frozen"),
  /** Top layers trained in "finetune" mode. */
  trainLayers: z.number().int().min(1).max(512).default(1),
  head: z.enum(["linear", "mlp"]).default("linear"),
  hidden: z.number().int().min(1).max(4096).default(64),
  activation: z.enum(["gelu", "relu"]).default("gelu"),
  epochs: z.number().int().min(1).max(1000).default(30),
  lr: z.number().positive().max(1).default(1e-3),
  weightDecay: z.number().min(0).max(1).default(0.01),
  batchSize: z.number().int().min(1).max(4096).default(8),
  patience: z.number().int().min(1).max(1000).default(5),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  testFraction: z.number().gt(0).lt(1).default(0.2),
  valFraction: z.number().gt(0).lt(1).default(0.15),
  minPairs: z.number().int().min(1).max(1_000_000).default(50),
}).strict();
export type TrainRewardOptions = z.infer<typeof trainRewardOptionsSchema>;


/** Features first (where missing), then a new reward-model version trained on the project's rankings. */
export const trainRewardJob = jobKind({ kind: "train-reward", payload: z.object({ projectId: z.string(), options: trainRewardOptionsSchema }) });
export type TrainRewardPayload = z.infer<typeof trainRewardJob.payload>;
