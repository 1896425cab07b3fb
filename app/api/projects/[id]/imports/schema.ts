import { z } from "zod";
import { importFormatSchema } from "@/lib/datasets/registry";

export const importsParamsSchema = z.object({ id: z.uuid() });
export const importParamsSchema = z.object({ id: z.uuid(), importId: z.uuid() });

/** The upload's settings ride in the query string; the body is the file itself. */
export const uploadQuerySchema = z.object({
  format: z.literal("auto").or(importFormatSchema).default("auto"),
  name: z.string().trim().min(1).max(200).default("upload.jsonl"),
}).strict();

/** Content types an upload may be sent as: the file's bytes, gzipped or not (JSON bodies are for the other routes). */
export const UPLOAD_CONTENT_TYPES = ["application/octet-stream", "application/gzip", "application/x-gzip", "application/x-ndjson", "application/jsonl"] as const;

export const startImportSchema = z.object({ skipInvalid: z.boolean().default(false) }).strict();
