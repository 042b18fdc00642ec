import type { PublicUrls } from '@portail/core';

/** Mailed links point at the API, which acts on them; a front end may sit in front later. */
export const confirmationLink = (urls: PublicUrls, token: string) => `${urls.api}/confirm/${token}`;
export const resetLink = (urls: PublicUrls, token: string) => `${urls.api}/reset/${token}`;
