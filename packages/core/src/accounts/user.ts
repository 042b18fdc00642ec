import * as z from 'zod';
import { StoredImageSchema } from '../images/image';
import { lazySchema } from '../lazy-schema';
import { httpUrl, isoDateTime, optionalString, requiredString } from '../schema-helpers';
import { PasswordSchema } from './password';
import { sha256 } from './secrets';

export const EmailSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? 'This field is required.' : 'Expected a string.'),
    })
    .trim()
    .toLowerCase()
    .max(254, 'At most 254 characters.')
    .pipe(z.email('Invalid email address.')),
);

/** `POST /register/`, as udata's Flask-Security JSON form. */
export const RegisterInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      email: EmailSchema,
      password: PasswordSchema,
      password_confirm: z.string().optional(),
      first_name: requiredString(255),
      last_name: requiredString(255),
    })
    .refine((input) => input.password_confirm === undefined || input.password_confirm === input.password, {
      error: 'Passwords do not match.',
      path: ['password_confirm'],
    })
    .meta({ id: 'RegisterInput' }),
);
export type RegisterInput = z.output<typeof RegisterInputSchema>;

/** `PUT /api/1/me/`: the fields a user edits about themself. */
export const ProfileUpdateSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      first_name: requiredString(255).optional(),
      last_name: requiredString(255).optional(),
      about: optionalString(5000).optional(),
      website: httpUrl(2000, 'Invalid URL: expected an http(s) address.').nullish(),
    })
    .meta({ id: 'ProfileUpdate' }),
);
export type ProfileUpdate = z.output<typeof ProfileUpdateSchema>;

export const USER_ROLES = ['admin'] as const;

/** The account as the domain knows it. */
export const UserSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    slug: z.string(),
    email: z.string(),
    first_name: z.string(),
    last_name: z.string(),
    about: z.string().nullable(),
    website: z.string().nullable(),
    password_hash: z.string(),
    /** `admin` makes a sysadmin. */
    roles: z.array(z.enum(USER_ROLES)),
    confirmed_at: isoDateTime.nullable(),
    created_at: isoDateTime,
    last_modified: isoDateTime,
    last_login_at: isoDateTime.nullable(),
    deleted: isoDateTime.nullable(),
    /** Their avatar and thumbnail (`POST /api/1/me/avatar/`), none until one is uploaded. */
    avatar: StoredImageSchema.nullable().default(null),
    version: z.number().int().nonnegative(),
  }),
);
export type User = z.infer<typeof UserSchema>;

export function isSysadmin(user: Pick<User, 'roles'>): boolean {
  return user.roles.includes('admin');
}

export function fullName(user: Pick<User, 'first_name' | 'last_name'>): string {
  return `${user.first_name} ${user.last_name}`.trim();
}

/** Changes whenever the password does: sessions opened before a password change stop working. */
export function credentialsVersion(user: Pick<User, 'password_hash'>): string {
  return sha256(user.password_hash).slice(0, 16);
}
