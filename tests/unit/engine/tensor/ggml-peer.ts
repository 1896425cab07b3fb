/**
 * llama.cpp's own quantizers as a test peer: the ggml and llama libraries that
 * node-llama-cpp ships (node_modules/@node-llama-cpp/<platform>/bins), called
 * through a small C program of ours that is compiled with the machine's C
 * compiler into a temporary folder and opens them with dlopen. Nothing of
 * llama.cpp is compiled or copied: only its exported functions are called
 * (quantize_row_*_ref, dequantize_row_*, llama_model_quantize).
 *
 * `ggmlPeer()` returns null, with the reason, when there is no C compiler or
 * no shipped library for this platform; tests then skip and say why.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const HARNESS_C = String.raw`
#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* llama_model_quantize_params as llama.h declares it in the shipped build. */
typedef struct {
  int32_t nthread; int32_t ftype; int32_t output_tensor_type; int32_t token_embedding_type;
  bool allow_requantize, quantize_output_tensor, only_copy, pure, keep_split, dry_run;
  const void *imatrix, *kv_overrides, *tt_overrides; const int32_t *prune_layers; size_t max_buf_size;
} quantize_params;

static void *open_lib(const char *dir, const char *name) {
  char p[4096];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  void *h = dlopen(p, RTLD_NOW | RTLD_GLOBAL);
  if (!h) { fprintf(stderr, "%s\n", dlerror()); exit(2); }
  return h;
}

static void *sym(void *h, const char *name) {
  void *f = dlsym(h, name);
  if (!f) { fprintf(stderr, "missing symbol %s\n", name); exit(2); }
  return f;
}

static void *read_all(const char *file, long *len) {
  FILE *fp = fopen(file, "rb");
  if (!fp) { perror(file); exit(2); }
  fseek(fp, 0, SEEK_END); *len = ftell(fp); fseek(fp, 0, SEEK_SET);
  void *buf = malloc(*len + 1);
  if (fread(buf, 1, *len, fp) != (size_t)*len) { perror(file); exit(2); }
  fclose(fp);
  return buf;
}

static void write_all(const char *file, const void *buf, long len) {
  FILE *fp = fopen(file, "wb");
  if (!fp || fwrite(buf, 1, len, fp) != (size_t)len) { perror(file); exit(2); }
  fclose(fp);
}

/* usage: quantize DIR TYPE IN OUT BLOCK_VALUES BLOCK_BYTES | dequantize DIR TYPE IN OUT N | model DIR IN OUT FTYPE LIBLLAMA */
int main(int argc, char **argv) {
  if (argc < 3) return 2;
  const char *mode = argv[1], *dir = argv[2];
  if (!strcmp(mode, "model") && argc == 7) {
    open_lib(dir, "libggml-base.so");
    void *llama = open_lib(dir, argv[6]);
    ((void (*)(void))sym(llama, "llama_backend_init"))();
    quantize_params p = ((quantize_params (*)(void))sym(llama, "llama_model_quantize_default_params"))();
    /* the defaults llama.cpp documents: a struct of another layout would not read so */
    if (p.nthread != 0 || p.ftype != 7 || p.output_tensor_type != 43 || p.token_embedding_type != 43 ||
        p.allow_requantize || !p.quantize_output_tensor || p.only_copy || p.pure || p.imatrix || p.tt_overrides) {
      fprintf(stderr, "llama_model_quantize_params differs from the layout this harness declares\n");
      return 3;
    }
    p.ftype = atoi(argv[5]);
    p.nthread = 1;
    return (int)((uint32_t (*)(const char *, const char *, const quantize_params *))sym(llama, "llama_model_quantize"))(argv[3], argv[4], &p);
  }
  void *base = open_lib(dir, "libggml-base.so");
  char name[128];
  long len;
  void *in = read_all(argv[4], &len);
  if (!strcmp(mode, "quantize") && argc == 8) {
    long n = len / 4, bv = atol(argv[6]), bb = atol(argv[7]);
    void *out = calloc(n / bv * bb, 1);
    snprintf(name, sizeof name, "quantize_row_%s_ref", argv[3]);
    ((void (*)(const float *, void *, int64_t))sym(base, name))(in, out, n);
    write_all(argv[5], out, n / bv * bb);
    return 0;
  }
  if (!strcmp(mode, "dequantize") && argc == 7) {
    long n = atol(argv[6]);
    float *out = calloc(n, sizeof(float));
    snprintf(name, sizeof name, "dequantize_row_%s", argv[3]);
    ((void (*)(const void *, float *, int64_t))sym(base, name))(in, out, n);
    write_all(argv[5], out, n * 4);
    return 0;
  }
  return 2;
}
`;

/** ggml's names for the types, as in its function names. */
export type PeerType = "q4_K" | "q5_K" | "q6_K" | "q4_0" | "q4_1" | "q5_0" | "q5_1" | "q8_0";

export interface GgmlPeer {
  /** quantize_row_<type>_ref(x) — the bytes ggml writes. */
  quantize(type: PeerType, x: Float32Array, blockValues: number, blockBytes: number): Uint8Array;
  /** dequantize_row_<type>(bytes) -> n floats. */
  dequantize(type: PeerType, bytes: Uint8Array, n: number): Float32Array;
  /** llama_model_quantize(inFile -> outFile, ftype) with default parameters (no importance matrix). */
  quantizeModel(inFile: string, outFile: string, ftype: number): void;
  dispose(): void;
}

/** The folder of the shipped libraries and the file name of libllama (versioned, e.g. libllama.v0.4.0.so). */
function libDir(): { dir: string; libllama: string } | null {
  if (process.platform !== "linux" || process.arch !== "x64") return null;
  const dir = path.resolve("node_modules/@node-llama-cpp/linux-x64/bins/linux-x64");
  if (!existsSync(path.join(dir, "libggml-base.so"))) return null;
  const libllama = readdirSync(dir).find((f) => /^libllama(\.v[\d.]+)?\.so$/.test(f));
  return libllama ? { dir, libllama } : null;
}

/** The peer, or the reason it is not available here. */
export function ggmlPeer(): { peer: GgmlPeer; reason: null } | { peer: null; reason: string } {
  const lib = libDir();
  if (!lib) return { peer: null, reason: "no llama.cpp library for this platform in node_modules/@node-llama-cpp" };
  const { dir, libllama } = lib;
  const tmp = mkdtempSync(path.join(tmpdir(), "ggml-peer-"));
  const exe = path.join(tmp, "harness");
  try {
    writeFileSync(path.join(tmp, "harness.c"), HARNESS_C);
    execFileSync("cc", ["-O1", "-o", exe, path.join(tmp, "harness.c"), "-ldl"], { stdio: "pipe" });
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    return { peer: null, reason: `no working C compiler (cc): ${(e as Error).message.split("\n")[0]}` };
  }
  let k = 0;
  const file = (ext: string) => path.join(tmp, `${k++}.${ext}`);
  const run = (args: string[]) => execFileSync(exe, args, { stdio: "pipe", maxBuffer: 64 << 20 });
  const peer: GgmlPeer = {
    quantize(type, x, blockValues, blockBytes) {
      const [inp, out] = [file("f32"), file("bin")];
      writeFileSync(inp, new Uint8Array(x.buffer, x.byteOffset, x.byteLength));
      run(["quantize", dir, type, inp, out, String(blockValues), String(blockBytes)]);
      return new Uint8Array(readFileSync(out));
    },
    dequantize(type, bytes, n) {
      const [inp, out] = [file("bin"), file("f32")];
      writeFileSync(inp, bytes);
      run(["dequantize", dir, type, inp, out, String(n)]);
      const b = readFileSync(out);
      return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
    },
    quantizeModel(inFile, outFile, ftype) {
      run(["model", dir, inFile, outFile, String(ftype), libllama]);
    },
    dispose() {
      rmSync(tmp, { recursive: true, force: true });
    },
  };
  return { peer, reason: null };
}
