import { quoted } from '../excerpt';
import { lazySchema } from '../lazy-schema';
import { extrasSchema } from '../storable-json';

/**
 * udata's free `extras` object. Its `custom:<name>` keys must match custom metadata an organization
 * declares; Portail has no such declarations yet, so those keys are refused rather than stored unchecked.
 */
export const extrasInputSchema = /* @__PURE__ */ lazySchema(() =>
  extrasSchema({
    maxKeyLength: 128,
    trimKeys: true,
    keyRule: (key) =>
      key.startsWith('custom:')
        ? `custom metadata (custom:<name>) is not supported yet (${quoted(key)}).`
        : null,
  })
    .nullish()
    .transform((extras) => extras ?? {}),
);
