import type { PublicUrls } from '@portail/core';

/** Where the producer's workspace (packages/workspace) is served, on the site's origin. */
const WORKSPACE = '/admin';

/**
 * The confirmation link points at the API, which acts on it (an API client that follows it confirms
 * the account); a browser opening it is sent to the workspace's screen, which asks the API itself.
 */
export const confirmationLink = (urls: PublicUrls, token: string) => `${urls.api}/confirm/${token}`;
export const confirmationScreen = (urls: PublicUrls, token: string) =>
  `${urls.site}${WORKSPACE}/confirm/${token}`;
/** A reset link is for a person: the workspace's screen asks for the new password and posts it to the API. */
export const resetLink = (urls: PublicUrls, token: string) => `${urls.site}${WORKSPACE}/reset/${token}`;
