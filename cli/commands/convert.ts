/**
 * `studio convert`: write a model (Hugging Face folder or F32/F16/BF16 .gguf)
 * as a .gguf of another type — q4_k_m and q6_k with llama.cpp's recipe and
 * bit-identical quantizers, q8_0, f16, f32. Thin: flags -> convertModelFile.
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { GGUF_FILE_TYPE_NAMES } from "@/lib/engine/formats/gguf/recipe";
import type { GgufFileType } from "@/lib/engine/formats/gguf/recipe";
import { convertModelFile } from "@/lib/model-files/convert";
import { describeFlagError } from "./project-arg";

const TO = GGUF_FILE_TYPE_NAMES.map((t) => t.toLowerCase());

/** The one-line help cli/index.ts lists. */
export const CONVERT_HELP = `write a model as a .gguf of another type (--model PATH --out FILE.gguf --to ${TO.join("|")})`;

const USAGE = `Usage: studio convert --model PATH --out FILE.gguf --to ${TO.join("|")} [--name NAME]

  --model PATH   Hugging Face model folder, or a .gguf file of F32/F16/BF16 tensors
  --out FILE     the .gguf file to write (written whole or not at all)
  --to TYPE      q4_k_m: Q4_K with Q6_K for the output/tied embedding and some attn_v/ffn_down
                 layers, as llama-quantize chooses; q6_k; q8_0; f16; f32
  --name NAME    general.name in the file (default: the folder's name)
`;

const flagsSchema = z.object({
  model: z.string({ error: "is required" }).min(1),
  out: z.string({ error: "is required" }).regex(/\.gguf$/, "must name a .gguf file"),
  to: z.enum(TO as [string, ...string[]], { error: `must be one of ${TO.join(", ")}` }).transform((t) => t.toUpperCase() as GgufFileType),
  name: z.string().min(1).optional(),
});

export async function runConvert(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { model: { type: "string" }, out: { type: "string" }, to: { type: "string" }, name: { type: "string" }, help: { type: "boolean", short: "h" } },
    strict: true,
  });
  if (values.help) return (console.log(USAGE), 0);
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`${describeFlagError(parsed.error)}\n\n${USAGE}`);
    return 2;
  }
  const { model, out, to, name } = parsed.data;
  const started = performance.now();
  const res = await convertModelFile(model, out, to, name);
  const types = Object.entries(res.tensorTypes).map(([t, n]) => `${n} ${t}`).join(", ");
  console.log(`Wrote ${out} (${to}, ${(res.bytes / 2 ** 20).toFixed(1)} MiB, tensors: ${types}) in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
  if (res.placeholderVocab) console.log("No tokenizer.json in the folder: the file has a placeholder byte-fallback vocabulary.");
  return 0;
}
