import * as z from 'zod';
import { lazySchema } from '../lazy-schema';

/**
 * What a dataset keeps of its contact points and how it names them: apart from the contact point
 * itself (contact-point.ts), which knows its publisher, so datasets need not import it.
 */

/** udata's contact point roles (`GET /api/1/contacts/roles/`), with their labels. */
export const CONTACT_ROLES = { contact: 'Contact', creator: 'Creator', publisher: 'Publisher' } as const;
export type ContactRole = keyof typeof CONTACT_ROLES;
export const CONTACT_ROLE_IDS = Object.keys(CONTACT_ROLES) as [ContactRole, ...ContactRole[]];

export const ContactRoleSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(CONTACT_ROLE_IDS, {
    error: `Expected one of: ${CONTACT_ROLE_IDS.join(', ')}.`,
  }),
);

/** At most this many contact points on one dataset (each is a reference item in the dataset's writes). */
export const MAX_DATASET_CONTACT_POINTS = 10;

/** What a dataset keeps of each of its contact points (refreshed when the contact point changes). */
export const ContactPointSnapshotSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    contact_form: z.string().nullable(),
    role: ContactRoleSchema,
  }),
);
export type ContactPointSnapshot = z.infer<typeof ContactPointSnapshotSchema>;

/** Contact points as a dataset names them: ids, or objects holding one (udata clients send back what they read). */
export const contactPointIdsInput = /* @__PURE__ */ lazySchema(() =>
  z
    .array(
      z.union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })], {
        error: 'Expected a contact point id.',
      }),
      { error: 'Expected a list of contact point ids.' },
    )
    .max(MAX_DATASET_CONTACT_POINTS, `At most ${MAX_DATASET_CONTACT_POINTS} contact points.`)
    .transform((list) => [...new Set(list.map((entry) => (typeof entry === 'string' ? entry : entry.id)))]),
);
