import { lazySchema } from '@portail/core';
import * as z from 'zod/mini';

const StoreEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    TABLE_NAME: z.string().check(z.minLength(1)),
  }),
);

let cached: z.infer<typeof StoreEnvSchema> | undefined;

/** Parsed once; a missing variable fails loudly with its name. */
export function storeConfig(): z.infer<typeof StoreEnvSchema> {
  if (!cached) {
    const parsed = StoreEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      const names = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new Error(`Missing or invalid environment variable(s): ${names}`);
    }
    cached = parsed.data;
  }
  return cached;
}
