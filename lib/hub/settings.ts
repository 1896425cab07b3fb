/**
 * Where the Hub client talks to and caches into, read once from the
 * environment (lib/env.ts). Tests build their own settings instead.
 */
import os from "node:os";
import path from "node:path";
import { env } from "@/lib/env";

export interface HubSettings {
  /** "https://huggingface.co" or a mirror; no trailing slash. */
  endpoint: string;
  /** Sent as `Authorization: Bearer …` to the endpoint's own origin only (never to the CDN). */
  token: string | undefined;
  /** The hub cache root, laid out as huggingface_hub does: models--org--name/{blobs,snapshots,refs}. */
  cacheDir: string;
  /** HF_HUB_OFFLINE: never touch the network, serve from the cache or fail. */
  offline: boolean;
  /** Tries per file when a download is cut off (each resumes where the last stopped). */
  retries: number;
  /** Wait before the first retry, doubled after each further one. */
  retryDelayMs: number;
  /** A connection that sends no byte for this long is dropped and resumed. */
  stallMs: number;
}

/** huggingface_hub's defaults: HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub. */
export function hubSettingsFromEnv(): HubSettings {
  const e = env();
  const home = e.HF_HOME ?? path.join(os.homedir(), ".cache", "huggingface");
  return {
    endpoint: e.HF_ENDPOINT,
    token: e.HF_TOKEN,
    cacheDir: path.resolve(e.HF_HUB_CACHE ?? path.join(home, "hub")),
    offline: e.HF_HUB_OFFLINE,
    retries: 5,
    retryDelayMs: 1000,
    stallMs: 60_000,
  };
}
