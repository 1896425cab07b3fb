import "server-only";
import type { JobDefinition } from "./define";
import { bestOfNDefinition } from "./handlers/best-of-n";
import { featurizeDefinition } from "./handlers/featurize";
import { generateDefinition } from "./handlers/generate";
import { importPreferencesDefinition } from "./handlers/import-preferences";
import { trainRewardDefinition } from "./handlers/train-reward";

/**
 * Every job kind a worker runs. The one place that loads handler code (the
 * engine, the trainer): routes, the seed and the CLI import the light kinds
 * in lib/jobs/kinds/ instead. A new kind adds its definition here.
 */
export const jobRegistry: readonly JobDefinition[] = [generateDefinition, featurizeDefinition, trainRewardDefinition, bestOfNDefinition, importPreferencesDefinition];
