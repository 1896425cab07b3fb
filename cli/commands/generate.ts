/**
 * `studio generate`: load a model (HF folder or .gguf), generate K completions
 * of one prompt, print them and the throughput. Thin: flags -> engine calls.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { z } from "zod";
import { EngineError } from "@/lib/engine/errors";
import { generate } from "@/lib/engine/generate";
import type { GenerationResult } from "@/lib/engine/generate";
import { stderrDownloadProgress } from "@/cli/download-progress";
import { localModelPath } from "@/lib/model-files/load";
import { parseDecodingConfig } from "@/lib/engine/sampling";
import { plainTextIds, promptIds } from "@/lib/engine/tokenizer/conversation";
import type { ChatMessage, Tokenizer } from "@/lib/engine/tokenizer/types";
import { loadModelFromPath } from "@/lib/model-files/load";

const USAGE = `Usage: studio generate --model PATH (--prompt TEXT | --messages JSON | --prompt-ids 1,2,3) [options]

  --model PATH              Hugging Face model folder or .gguf file
  --prompt TEXT             prompt text, continued as is (needs the model's tokenizer)
  --chat                    send --prompt as one user turn through the model's chat template
  --messages JSON           a chat as a JSON list of {"role","content"} (inline, or a file path),
                            through the model's chat template as the app's generation does
  --prompt-ids IDS          comma-separated prompt token ids
  -n, --num N               number of completions (default 1); seeds are seed, seed+1, ...
  --max-new-tokens N        default 128
  --temperature T           0 = greedy (default 1)
  --top-k K  --top-p P  --min-p P  --typical-p P
  --repetition-penalty R  --frequency-penalty F  --presence-penalty P
  --num-beams N             beam search (one completion)
  --stop TEXT               stop string (repeatable)
  --seed S                  default 0
  --quantize q8_0           quantize weights at load
  --stream                  print tokens as they are generated
  --print-ids               print the generated ids
  --json                    print one JSON object instead of text

--model also takes a Hugging Face Hub id: hf:org/name (a model folder) or
hf:org/name/file.gguf, optionally @revision. It is downloaded once into the Hub
cache (HF_HOME / HF_HUB_CACHE) with a progress bar on stderr; HF_TOKEN for gated
models, HF_HUB_OFFLINE=1 to use the cache only.
`;

const OPTIONS = {
  model: { type: "string" },
  prompt: { type: "string" },
  "prompt-ids": { type: "string" },
  messages: { type: "string" },
  chat: { type: "boolean" },
  num: { type: "string", short: "n" },
  "max-new-tokens": { type: "string" },
  temperature: { type: "string" },
  "top-k": { type: "string" },
  "top-p": { type: "string" },
  "min-p": { type: "string" },
  "typical-p": { type: "string" },
  "repetition-penalty": { type: "string" },
  "frequency-penalty": { type: "string" },
  "presence-penalty": { type: "string" },
  "num-beams": { type: "string" },
  stop: { type: "string", multiple: true },
  seed: { type: "string" },
  quantize: { type: "string" },
  stream: { type: "boolean" },
  "print-ids": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Numeric flags -> decoding config keys (snake_case, as parseDecodingConfig reads them). */
const NUMERIC: Record<string, string> = {
  "max-new-tokens": "max_new_tokens",
  temperature: "temperature",
  "top-k": "top_k",
  "top-p": "top_p",
  "min-p": "min_p",
  "typical-p": "typical_p",
  "repetition-penalty": "repetition_penalty",
  "frequency-penalty": "frequency_penalty",
  "presence-penalty": "presence_penalty",
  "num-beams": "num_beams",
  seed: "seed",
};

class UsageError extends Error {}

function number(flag: string, raw: string): number {
  const v = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(v)) throw new UsageError(`--${flag} must be a number, got "${raw}"`);
  return v;
}

function parseIds(raw: string): number[] {
  const parts = raw.split(",").map((s) => s.trim());
  const ids = parts.map(Number);
  const bad = parts.findIndex((p, i) => p === "" || !Number.isInteger(ids[i]) || ids[i] < 0);
  if (bad >= 0) throw new UsageError(`--prompt-ids must be comma-separated token ids, got "${parts[bad]}" at position ${bad + 1}`);
  return ids;
}

const messagesSchema = z.array(z.object({ role: z.string().min(1), content: z.string() })).min(1);

/** --messages: inline JSON when it starts with "[", else a JSON file. */
function parseMessages(raw: string): ChatMessage[] {
  let text = raw;
  if (!raw.trimStart().startsWith("[")) {
    try {
      text = readFileSync(raw, "utf8");
    } catch (e) {
      throw new UsageError(`--messages: cannot read ${raw}: ${(e as Error).message}`);
    }
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError("--messages must be JSON: a list of {\"role\", \"content\"} objects");
  }
  const parsed = messagesSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--messages${issue.path.map((p) => `[${JSON.stringify(p)}]`).join("")}: ${issue.message}`);
  }
  return parsed.data;
}

/** Prompt ids for --prompt (plain text or, with --chat, one user turn) or --messages, through the one prompt path. */
function encodePrompt(flags: Values, messages: ChatMessage[] | undefined, tokenizer: Tokenizer | null): number[] {
  if (!tokenizer) throw new EngineError("this model has no tokenizer; pass --prompt-ids instead of text");
  if (messages) return promptIds(tokenizer, messages);
  if (flags.chat) return promptIds(tokenizer, [{ role: "user", content: flags.prompt! }]);
  return plainTextIds(tokenizer, flags.prompt!);
}

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: false; strict: true }>>["values"];

function parseFlags(argv: string[]): Values {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: false, strict: true }).values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** Runs `studio generate`; returns the exit code (0 ok, 1 model/engine error, 2 bad flags). */
export async function runGenerate(argv: string[]): Promise<number> {
  let flags: Values;
  try {
    flags = parseFlags(argv);
    if (flags.help) {
      console.log(USAGE);
      return 0;
    }
    if (!flags.model) throw new UsageError("--model is required");
    const prompts = [flags.prompt, flags.messages, flags["prompt-ids"]].filter((v) => v !== undefined).length;
    if (prompts !== 1) throw new UsageError("give exactly one of --prompt, --messages or --prompt-ids");
    if (flags.chat && flags.prompt === undefined) throw new UsageError("--chat applies to --prompt (--messages are always a chat)");
    if (flags.quantize !== undefined && flags.quantize !== "q8_0") throw new UsageError(`--quantize must be q8_0, got "${flags.quantize}"`);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await run(flags);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof EngineError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

async function run(flags: Values): Promise<number> {
  flags.model = await localModelPath(flags.model!, { onProgress: stderrDownloadProgress() });
  const k = flags.num === undefined ? 1 : number("num", flags.num);
  if (!Number.isInteger(k) || k < 1) throw new UsageError(`-n must be a positive integer, got ${flags.num}`);
  const raw: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(NUMERIC)) {
    const v = flags[flag as keyof Values];
    if (typeof v === "string") raw[key] = number(flag, v);
  }
  if (flags.stop) raw.stop_strings = flags.stop;
  if (flags.json || flags["print-ids"]) raw.logprobs = true;
  let base;
  try {
    base = parseDecodingConfig(raw);
  } catch (e) {
    if (e instanceof EngineError) throw new UsageError(e.message);
    throw e;
  }
  const configs = Array.from({ length: k }, (_, i) => ({ ...base, seed: base.seed + i }));
  const givenIds = flags["prompt-ids"] !== undefined ? parseIds(flags["prompt-ids"]) : undefined;
  const messages = flags.messages !== undefined ? parseMessages(flags.messages) : undefined;

  const loaded = await loadModelFromPath(flags.model!, { format: flags.quantize === "q8_0" ? "q8_0" : "auto" });
  const ids = givenIds ?? encodePrompt(flags, messages, loaded.tokenizer);
  const results: GenerationResult[] = [];
  const start = performance.now();
  const stream = flags.stream && !flags.json;
  for await (const e of generate({ model: loaded.model, tokenizer: loaded.tokenizer, promptIds: ids, configs, eosIds: loaded.eosIds })) {
    if (e.type === "done") results[e.seq] = e.result;
    else if (stream) process.stdout.write(k === 1 ? e.text : `[${e.seq}] ${e.text || `<${e.tokenId}>`}\n`);
  }
  const seconds = (performance.now() - start) / 1000;
  const tokens = results.reduce((s, r) => s + r.tokenCount, 0);
  const tokensPerSecond = tokens / Math.max(seconds, 1e-9);
  if (flags.json) {
    console.log(JSON.stringify({ model: loaded.source, promptIds: ids, completions: results, tokens, seconds, tokensPerSecond }));
    return 0;
  }
  if (stream && k === 1) process.stdout.write("\n");
  results.forEach((r, i) => {
    console.log(`--- completion ${i + 1}/${k} (${r.finishReason}, ${r.tokenCount} tokens) ---`);
    if (!stream) console.log(loaded.tokenizer ? r.text : "(the model has no tokenizer; --print-ids shows the ids)");
    if (flags["print-ids"]) console.log(`ids: ${r.ids.join(",")}`);
  });
  console.log(`${tokens} tokens in ${seconds.toFixed(2)} s: ${tokensPerSecond.toFixed(1)} tokens/s`);
  return 0;
}
