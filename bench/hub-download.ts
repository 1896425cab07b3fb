/**
 * Hub download bench: a random --mb MB .gguf served by the stand-in Hub on
 * 127.0.0.1, fetched by resolveHubModel (HEAD, 302 to the "CDN", write to
 * .incomplete, sha256, rename, snapshot link) beside the same bytes read by a
 * bare fetch that keeps nothing (the loopback wire) and node's sha256 over
 * them in memory (the hash), so the client's own cost shows. Then a download
 * cut at half and resumed with Range, and a resolve of the cached snapshot.
 *
 *   npx tsx bench/hub-download.ts --mb 256
 */
import { createHash, randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseHubModelId } from "@/lib/hub/model-id";
import { resolveHubModel } from "@/lib/hub/snapshot";
import { startFakeHub } from "../tests/support/fake-hub";
import { testHubSettings } from "../tests/support/hub-fixtures";

const { values } = parseArgs({ options: { mb: { type: "string", default: "256" } } });
const bytes = Number(values.mb) * 1e6;
const data = randomBytes(bytes);
const hub = await startFakeHub();
hub.addRepo("bench/big", { "big.gguf": data });
const id = parseHubModelId("hf:bench/big/big.gguf");
const rate = (ms: number) => `${((bytes / 1e6) / (ms / 1000)).toFixed(0)} MB/s`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const cdnUrl = await (async () => {
  const head = await fetch(`${hub.url}/bench/big/resolve/main/big.gguf`, { method: "HEAD", redirect: "manual" });
  return head.headers.get("location")!;
})();
const readAll = async () => {
  const reader = (await fetch(cdnUrl)).body!.getReader();
  while (!(await reader.read()).done);
};
await readAll(); // warm-up: the first fetch also pays for compiling undici's stream path
const wire = await timed(readAll);
const hash = await timed(async () => createHash("sha256").update(data).digest("hex"));

const fresh = testHubSettings(hub.url);
const download = await timed(() => resolveHubModel(id, fresh));
const resumed = testHubSettings(hub.url, { retryDelayMs: 0 });
hub.dropAfter("big.gguf", Math.floor(bytes / 2));
const resume = await timed(() => resolveHubModel(id, resumed));
const before = hub.requests.length;
const cached = await timed(() => resolveHubModel(id, fresh));
const cachedRequests = hub.requests.length - before;

console.log(`${values.mb} MB file over loopback`);
console.log(`  bare fetch (wire only)      ${wire.toFixed(0).padStart(6)} ms  ${rate(wire)}`);
console.log(`  sha256 in memory            ${hash.toFixed(0).padStart(6)} ms  ${rate(hash)}`);
console.log(`  resolveHubModel, fresh      ${download.toFixed(0).padStart(6)} ms  ${rate(download)}`);
console.log(`  cut at half, resumed        ${resume.toFixed(0).padStart(6)} ms  (one Range request for the second half)`);
console.log(`  cached snapshot, main       ${cached.toFixed(0).padStart(6)} ms  ${cachedRequests} request (the file list)`);
await hub.close();
for (const s of [fresh, resumed]) rmSync(s.cacheDir, { recursive: true, force: true });
