/**
 * Export throughput: synthetic prompt groups → TRL standard JSONL through the
 * same pipeline the download route uses (filters, pseudonymisation, pairing,
 * split, writer), written to /dev/null.
 *   npx tsx bench/export.ts [--pairs 1000000] [--k 4] [--annotators 2] [--chars 400]
 * Prints pairs/s and peak RSS beside the peer in the same run: a bare loop
 * that JSON.stringifies the same pairs without the pipeline. Figures only.
 */
import fs from "node:fs";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { exportOptionsSchema, toExportOptions } from "@/lib/datasets/request";
import { exportChunks } from "@/lib/datasets/export";
import type { PromptGroup } from "@/lib/datasets/types";

const { values } = parseArgs({ options: { pairs: { type: "string", default: "1000000" }, k: { type: "string", default: "4" }, annotators: { type: "string", default: "2" }, chars: { type: "string", default: "400" } } });
const K = Number(values.k);
const A = Number(values.annotators);
const perGroup = A * ((K * (K - 1)) / 2);
const groupsWanted = Math.ceil(Number(values.pairs) / perGroup);
const filler = "lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(Math.ceil(Number(values.chars) / 57)).slice(0, Number(values.chars));

/** Groups made on the fly, as the database pager yields them: memory stays flat however many there are. */
function* groups(): Generator<PromptGroup> {
  for (let g = 0; g < groupsWanted; g++) {
    const ids = Array.from({ length: K }, (_, i) => `c${g}-${i}`);
    const completions = Object.fromEntries(ids.map((id, i) => [id, `${i}: ${filler}`]));
    const rankings = Array.from({ length: A }, (_, a) => ({
      annotatorId: `user-${a}`, promptId: `p${g}`, createdAt: "2026-01-01T00:00:00.000Z",
      // Each annotator ranks a different rotation, so agreement is computed over real disagreements.
      ranks: Object.fromEntries(ids.map((id, i) => [id, ((i + a) % K) + 1])),
    }));
    yield { promptId: `p${g}`, prompt: [{ role: "user", content: `Prompt ${g}: ${filler.slice(0, 80)}` }], completions, rankings };
  }
}

let peak = 0;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);

async function pipeline(): Promise<{ pairs: number; seconds: number }> {
  const request = exportOptionsSchema.parse({ format: "trl-standard" });
  const out = fs.createWriteStream("/dev/null");
  const started = performance.now();
  let lines = 0;
  for await (const chunk of exportChunks(groups(), request, toExportOptions(request, "bench-salt"))) {
    lines++;
    if (!out.write(chunk)) await once(out, "drain");
  }
  out.end();
  return { pairs: lines, seconds: (performance.now() - started) / 1000 };
}

function peer(): { pairs: number; seconds: number } {
  const started = performance.now();
  let pairs = 0;
  let bytes = 0;
  for (const g of groups()) {
    for (const r of g.rankings) {
      const ids = Object.keys(r.ranks).sort((p, q) => r.ranks[p] - r.ranks[q]);
      for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) {
        bytes += JSON.stringify({ prompt: g.prompt[0].content, chosen: g.completions[ids[i]], rejected: g.completions[ids[j]] }).length;
        pairs++;
      }
    }
  }
  if (bytes < 0) console.log(bytes);
  return { pairs, seconds: (performance.now() - started) / 1000 };
}

const base = process.memoryUsage().rss;
const p = await pipeline();
const pipelinePeak = peak;
peak = 0;
const q = peer();
clearInterval(sampler);
const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
console.log(`export bench: ${groupsWanted} prompts × ${A} annotators × C(${K},2) pairs, ${Number(values.chars)}-char completions`);
console.log(`  export pipeline (TRL JSONL)   ${p.pairs} pairs in ${p.seconds.toFixed(1)} s = ${Math.round(p.pairs / p.seconds).toLocaleString("en")} pairs/s, peak RSS ${mb(pipelinePeak)} (start ${mb(base)})`);
console.log(`  peer: bare JSON.stringify     ${q.pairs} pairs in ${q.seconds.toFixed(1)} s = ${Math.round(q.pairs / q.seconds).toLocaleString("en")} pairs/s`);
