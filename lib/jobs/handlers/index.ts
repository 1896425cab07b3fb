import "server-only";
import type { JobHandler } from "../runner";
import { bestOfNJob } from "./best-of-n";
import { featurizeJob } from "./featurize";
import { generateCompletionsJob } from "./generate";
import { trainRewardJob } from "./train-reward";

/** Every job kind a worker can run. */
export const jobHandlers: Record<string, JobHandler> = {
  generate: generateCompletionsJob,
  featurize: featurizeJob,
  "train-reward": trainRewardJob,
  "best-of-n": bestOfNJob,
};
