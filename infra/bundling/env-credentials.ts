/**
 * What the AWS SDK clients get instead of their default credential chain when bundled for Lambda (see
 * `alias` in function-bundling.ts). Lambda gives a function its role's credentials in the environment
 * (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), which is the first link of the default
 * chain anyway; the rest of the chain (SSO, profiles, web identity, container and instance metadata)
 * only adds the STS/SSO clients to every bundle and to its cold start.
 */
import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
