import * as z from 'zod';
import { type Publisher, PublisherSchema } from '../dataset/dataset';
import type { PublicUrls } from '../dataset/present';
import { publisherReferences } from '../dataset/publisher-references';
import { ValidationError } from '../errors';
import { lazySchema } from '../lazy-schema';
import { httpUrl, isoDateTime, requiredString } from '../schema-helpers';
import {
  CONTACT_ROLE_IDS,
  CONTACT_ROLES,
  type ContactPointSnapshot,
  ContactRoleSchema,
} from './contact-point-ref';

const blankToNull = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? null : value);

const writableFields = {
  /** udata refuses URLs in a contact's name. */
  name: /* @__PURE__ */ lazySchema(() =>
    requiredString(255).refine((name) => !/https?:\/\/|www\./i.test(name), {
      error: 'URLs not allowed in this field.',
    }),
  ),
  email: /* @__PURE__ */ lazySchema(() =>
    z.preprocess(
      blankToNull,
      z.string().trim().max(255, 'At most 255 characters.').pipe(z.email('Invalid email address.')).nullish(),
    ),
  ),
  contact_form: /* @__PURE__ */ lazySchema(() =>
    z.preprocess(blankToNull, httpUrl(2000, 'Expected an http or https URL.').nullish()),
  ),
  role: ContactRoleSchema,
};

/** The organization to publish as: its id, or an object holding it (as on datasets). */
const organizationInput = /* @__PURE__ */ lazySchema(() =>
  z
    .union([z.string().min(1).max(100), z.object({ id: z.string().min(1).max(100) })], {
      error: 'Expected an organization id.',
    })
    .nullish()
    .transform((value) => (value == null ? null : typeof value === 'string' ? value : value.id)),
);

/**
 * `POST /api/1/contacts/` body, as udata: `name`, `email` and/or `contact_form`, `role` (udata requires
 * it; a client of udata before roles sends none and means `contact`), `organization` to publish it as
 * one the caller belongs to. Unknown fields are ignored.
 */
export const ContactPointCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: writableFields.name,
      email: writableFields.email,
      contact_form: writableFields.contact_form,
      role: ContactRoleSchema.default('contact'),
      organization: organizationInput,
    })
    .meta({ id: 'ContactPointCreateInput' }),
);
export type ContactPointCreateInput = z.output<typeof ContactPointCreateInputSchema>;

/** `PUT /api/1/contacts/{id}/` body: what is sent is merged over what is stored. */
export const ContactPointUpdateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      name: writableFields.name.optional(),
      email: writableFields.email,
      contact_form: writableFields.contact_form,
      role: ContactRoleSchema.optional(),
    })
    .meta({ id: 'ContactPointUpdateInput' }),
);
export type ContactPointUpdateInput = z.output<typeof ContactPointUpdateInputSchema>;

export const ContactPointSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    contact_form: z.string().nullable(),
    role: ContactRoleSchema,
    /** Who owns it (a user, or an organization whose members manage it), as datasets keep theirs. */
    publisher: PublisherSchema,
    created_at: isoDateTime,
    last_modified: isoDateTime,
    version: z.number().int().nonnegative(),
  }),
);
export type ContactPoint = z.infer<typeof ContactPointSchema>;

export function contactPointSnapshot(contact: ContactPoint): ContactPointSnapshot {
  return {
    id: contact.id,
    name: contact.name,
    email: contact.email,
    contact_form: contact.contact_form,
    role: contact.role,
  };
}

/** udata's rule: a `contact` must say how to reach it (an email or a contact form). */
function checkReachable(contact: Pick<ContactPoint, 'role' | 'email' | 'contact_form'>): void {
  if (contact.role === 'contact' && !contact.email && !contact.contact_form) {
    throw ValidationError.field(
      'email',
      'At least an email or a contact form is required for a contact point.',
    );
  }
}

export function newContactPoint(
  input: ContactPointCreateInput,
  id: string,
  publisher: Publisher,
  now: Date,
): ContactPoint {
  const contact: ContactPoint = {
    id,
    name: input.name,
    email: input.email ?? null,
    contact_form: input.contact_form ?? null,
    role: input.role,
    publisher,
    created_at: now.toISOString(),
    last_modified: now.toISOString(),
    version: 1,
  };
  checkReachable(contact);
  return contact;
}

/** Merges a PUT over the stored contact point; null when nothing changes. */
export function applyContactPointUpdate(
  contact: ContactPoint,
  input: ContactPointUpdateInput,
  now: Date,
): ContactPoint | null {
  const next: ContactPoint = {
    ...contact,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.contact_form !== undefined ? { contact_form: input.contact_form } : {}),
    ...(input.role !== undefined ? { role: input.role } : {}),
  };
  if (JSON.stringify(contactPointSnapshot(next)) === JSON.stringify(contactPointSnapshot(contact)))
    return null;
  checkReachable(next);
  return { ...next, last_modified: now.toISOString(), version: contact.version + 1 };
}

export const ContactPointResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      contact_form: z.string().nullable(),
      role: ContactRoleSchema,
      organization: z.unknown().nullable(),
      owner: z.unknown().nullable(),
    })
    .meta({ id: 'ContactPoint' }),
);
export type ContactPointResponse = z.infer<typeof ContactPointResponseSchema>;

export const ContactPointRoleSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ id: ContactRoleSchema, label: z.string() }).meta({ id: 'ContactPointRole' }),
);
export const CONTACT_ROLE_ENTRIES = CONTACT_ROLE_IDS.map((id) => ({ id, label: CONTACT_ROLES[id] }));

export function presentContactPoint(contact: ContactPoint, urls: PublicUrls): ContactPointResponse {
  return { ...contactPointSnapshot(contact), ...publisherReferences(contact.publisher, urls) };
}
