import * as z from 'zod';

const baseUrl = (name: string) =>
  z
    .url({ protocol: /^https?$/, error: `${name} must be an http(s) URL.` })
    .transform((value) => value.replace(/\/+$/, ''));

const WebEnvSchema = z.object({
  PUBLIC_API_URL: baseUrl('PUBLIC_API_URL'),
  PUBLIC_SITE_URL: baseUrl('PUBLIC_SITE_URL').optional(),
});

export interface WebConfig {
  /** Where the pages read the API (the same public URL every client uses). */
  apiUrl: string;
  /** Where the pages are (canonical URLs, sitemaps): the API's `page` links point here. */
  siteUrl: string;
}

/** Read from the environment on first use (the local platform learns its port after import). */
let config: WebConfig | undefined;
export function webConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  if (config) return config;
  const parsed = WebEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  config = {
    apiUrl: parsed.data.PUBLIC_API_URL,
    siteUrl: parsed.data.PUBLIC_SITE_URL ?? parsed.data.PUBLIC_API_URL,
  };
  return config;
}
