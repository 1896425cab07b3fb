/**
 * `sft --model DIR --data pairs.jsonl --out DIR`: supervised fine-tuning of a
 * Llama HF folder (e.g. models/demo) on (prompt, response) records. Each JSONL
 * line is { "prompt", "response" } or an exported preference pair
 * { "prompt", "chosen", ... } (the chosen completion is the target); a prompt is
 * a string (one user turn) or a message list, a target a string or one assistant
 * message (TRL's conversational format). Examples are encoded with the model's
 * chat template (lib/engine/tokenizer/conversation.ts), as generation sees them.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { tokenizerFromJson } from "@/lib/engine/tokenizer/index";
import type { ChatMessage } from "@/lib/engine/tokenizer/index";
import { encodeSft } from "@/lib/train/chat-format";
import { hfModelFiles } from "@/lib/train/export-hf";
import { stderrDownloadProgress } from "@/cli/download-progress";
import { localModelPath } from "@/lib/model-files/load";
import type { GradEngine } from "@/lib/train/grad-engine";
import { LocalGradEngine } from "@/lib/train/grad-engine";
import { paramsFromTensors, trainConfigFromHf } from "@/lib/train/hf-import";
import { ParallelGradEngine } from "@/lib/train/parallel/parallel-engine";
import { NonFiniteLossError, Trainer } from "@/lib/train/trainer";

const messageSchema = z.object({ role: z.string().min(1), content: z.string() });
const targetSchema = z.union([z.string().min(1), z.tuple([messageSchema.extend({ role: z.literal("assistant"), content: z.string().min(1) })])]);
const sftRecordSchema = z
  .object({ prompt: z.union([z.string().min(1), z.array(messageSchema).min(1)]), response: targetSchema.optional(), chosen: targetSchema.optional() })
  .refine((r) => r.response !== undefined || r.chosen !== undefined, { message: "needs a response or chosen field" });
export type SftRecord = z.infer<typeof sftRecordSchema>;

/** One training conversation: the prompt's messages and the assistant reply to learn. */
export interface SftConversation {
  messages: ChatMessage[];
  response: string;
}

/** Parses JSONL line by line; the error names the line number and the problem. Blank lines are skipped. */
export function parseSftJsonl(text: string, source = "data"): SftConversation[] {
  const out: SftConversation[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${source} line ${i + 1}: not valid JSON`);
    }
    const r = sftRecordSchema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new Error(`${source} line ${i + 1}: ${issue.path.length > 0 ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
    }
    const target = (r.data.response ?? r.data.chosen)!;
    out.push({
      messages: typeof r.data.prompt === "string" ? [{ role: "user", content: r.data.prompt }] : r.data.prompt,
      response: typeof target === "string" ? target : target[0].content,
    });
  });
  if (out.length === 0) throw new Error(`${source}: no records`);
  return out;
}

function positive(name: string, raw: string, integer: boolean): number {
  const v = Number(raw);
  if (!(v > 0) || (integer && !Number.isInteger(v))) throw new Error(`--${name} must be a positive ${integer ? "integer" : "number"}, got ${raw}`);
  return v;
}

/** tokenizer_config.json (chat template, special tokens) when the folder has one. */
async function readTokenizerConfig(dir: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.join(dir, "tokenizer_config.json"), "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
  return JSON.parse(text) as unknown;
}

export async function runSft(argv: string[]): Promise<number> {
  let a;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        model: { type: "string" }, data: { type: "string" }, out: { type: "string" },
        steps: { type: "string", default: "200" }, lr: { type: "string", default: "5e-4" }, batch: { type: "string", default: "8" },
        seed: { type: "string", default: "1" }, threads: { type: "string", default: "1" }, "weight-decay": { type: "string", default: "0" },
      },
      strict: true,
    });
    if (!values.model || !values.data || !values.out) throw new Error("usage: sft --model DIR --data pairs.jsonl --out DIR [--steps N --lr X --batch N --seed N --threads N]");
    a = {
      model: values.model, data: values.data, out: values.out,
      steps: positive("steps", values.steps!, true), lr: positive("lr", values.lr!, false), batch: positive("batch", values.batch!, true),
      seed: positive("seed", values.seed!, true), threads: positive("threads", values.threads!, true), weightDecay: Number(values["weight-decay"]),
    };
    if (!(a.weightDecay >= 0)) throw new Error(`--weight-decay must be >= 0, got ${values["weight-decay"]}`);
  } catch (err) {
    console.error(`sft: ${err instanceof Error ? err.message : String(err)}`);
    return 2;
  }

  let engine: GradEngine | null = null;
  try {
    a.model = await localModelPath(a.model, { onProgress: stderrDownloadProgress() }); // an hf: id becomes its cached folder
    const records = parseSftJsonl(await readFile(a.data, "utf8"), a.data);
    const configJson = JSON.parse(await readFile(path.join(a.model, "config.json"), "utf8")) as unknown;
    const config = trainConfigFromHf(configJson);
    const tokenizerJson = JSON.parse(await readFile(path.join(a.model, "tokenizer.json"), "utf8")) as Record<string, unknown>;
    const tok = tokenizerFromJson(tokenizerJson, await readTokenizerConfig(a.model), `${a.model}/tokenizer.json`);
    const id = (t: string) => {
      const v = tok.tokenToId(t);
      if (v === undefined) throw new Error(`${a.model}/tokenizer.json has no ${t} token; the folder sft writes uses ChatML special tokens`);
      return v;
    };
    const ids = { endOfText: id("<|endoftext|>"), imStart: id("<|im_start|>"), imEnd: id("<|im_end|>") };
    const data = records.map((r) => encodeSft(tok, r.messages, r.response));
    const tooLong = data.findIndex((d) => d.tokens.length > config.maxSeqLen);
    if (tooLong >= 0) throw new Error(`${a.data}: record ${tooLong + 1} is ${data[tooLong]!.tokens.length} tokens, the model's context is ${config.maxSeqLen}`);
    const params = paramsFromTensors(config, readSafetensors(await readFile(path.join(a.model, "model.safetensors"))).tensors);
    engine = a.threads > 1 ? new ParallelGradEngine(config, params, a.threads) : new LocalGradEngine(config, Float32Array.from(params));
    const trainer = new Trainer(config, {
      seed: a.seed, batchSize: a.batch, gradAccum: 1, clipNorm: 1,
      adamw: { beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: a.weightDecay },
      schedule: { peakLr: a.lr, minLr: a.lr / 10, warmupSteps: Math.min(20, Math.ceil(a.steps / 10)), totalSteps: a.steps },
    }, engine, data);
    console.log(`sft: ${records.length} records, ${a.steps} steps, batch ${a.batch}, lr ${a.lr}`);
    const t0 = Date.now();
    let tokens = 0;
    while (trainer.step < a.steps) {
      const r = await trainer.trainStep();
      tokens += r.tokens;
      if (r.step % 10 === 0 || r.step === a.steps) {
        const s = (Date.now() - t0) / 1000;
        console.log(`step ${r.step}/${a.steps} | loss ${r.loss.toFixed(4)} | lr ${r.lr.toExponential(2)} | ${(tokens / s).toFixed(0)} tok/s`);
      }
    }
    await mkdir(a.out, { recursive: true });
    for (const [name, content] of hfModelFiles(config, engine.params, tokenizerJson, ids)) await writeFile(path.join(a.out, name), content);
    console.log(`sft: wrote ${a.out}`);
    return 0;
  } catch (err) {
    console.error(`sft: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof NonFiniteLossError ? 1 : 2;
  } finally {
    await engine?.close();
  }
}
