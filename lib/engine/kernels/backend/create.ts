/** Choosing a model's kernel backend, once, when the model is built. */
import { check } from "@/lib/engine/errors";
import { plainModule, relaxedModule } from "../wasm/kernel-module";
import type { KernelBackend, KernelOptions, Linear } from "./types";
import { TypeScriptKernels } from "./typescript";
import { WasmKernels } from "./wasm";

const BACKENDS = ["auto", "wasm-relaxed", "wasm-plain", "typescript"];

/**
 * The kernels a model runs on, given its weight matrices (a WASM backend copies
 * them into its memory: their arrays become views into it) and the groups of
 * them that read one input (q, k, v; gate, up), which it runs as one product.
 * "auto" takes the best the host supports: relaxed SIMD, else plain SIMD,
 * else TypeScript (kernel-module.ts prints a one-line notice why).
 * @throws EngineError for an unknown backend, a WASM backend the host lacks, or WASM options given to typescript.
 */
export function createKernels(
  opts: KernelOptions = {}, matrices: readonly Linear[] = [], groups: readonly (readonly Linear[])[] = [],
): KernelBackend {
  const backend = opts.backend ?? "auto";
  check(BACKENDS.includes(backend), `kernels: backend must be one of ${BACKENDS.join(", ")}, got ${JSON.stringify(backend)}`);
  if (backend === "typescript") {
    check(opts.threads === undefined && opts.wasmAttention === undefined, "kernels: threads and wasmAttention apply to the WASM backends, not typescript");
    return new TypeScriptKernels();
  }
  const relaxed = backend === "wasm-plain" ? null : relaxedModule();
  check(relaxed || backend !== "wasm-relaxed", "kernels: backend wasm-relaxed is not available on this host (no working relaxed SIMD)");
  const module = relaxed ?? plainModule();
  if (!module) {
    check(backend === "auto", `kernels: backend ${backend} is not available on this host (no WebAssembly SIMD)`);
    return new TypeScriptKernels();
  }
  const attention = opts.wasmAttention ?? true;
  return new WasmKernels({ module, relaxed: module === relaxed, threads: opts.threads ?? true, attention }, matrices, groups);
}
