import "server-only";
import type { JobHandler } from "../runner";
import { generateCompletionsJob } from "./generate";

/** Every job kind a worker can run. */
export const jobHandlers: Record<string, JobHandler> = {
  generate: generateCompletionsJob,
};
