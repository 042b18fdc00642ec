import { lazySchema, UPLOAD_RULES } from '@portail/core';
import * as z from 'zod/mini';

const UploadsEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    BUCKET_NAME: z.string().check(z.minLength(1)),
    /** Largest file sent with one presigned POST; larger files go multipart. Finalize re-checks it. */
    MAX_UPLOAD_BYTES: z._default(
      z.pipe(z.coerce.number(), z.int().check(z.positive())),
      UPLOAD_RULES.defaultMaxPostBytes,
    ),
  }),
);
export type UploadsConfig = z.infer<typeof UploadsEnvSchema>;

let cached: UploadsConfig | undefined;

/** Parsed once; a missing variable fails loudly with its name. */
export function uploadsConfig(): UploadsConfig {
  if (!cached) {
    const parsed = UploadsEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new Error(`Missing or invalid environment variable(s): ${names}`);
    }
    cached = parsed.data;
  }
  return cached;
}
