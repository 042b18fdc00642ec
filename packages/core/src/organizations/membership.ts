import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import { isoDateTime, requiredString } from '../schema-helpers';
import { type MemberUser, MemberUserSchema, OrgRoleSchema } from './organization';

export const MAX_MEMBERSHIP_COMMENT_LENGTH = 5000;

export const MEMBERSHIP_STATUSES = ['pending', 'accepted', 'refused', 'canceled'] as const;
export const MembershipStatusSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(MEMBERSHIP_STATUSES, {
    error: `Unknown status: expected one of ${MEMBERSHIP_STATUSES.join(', ')}.`,
  }),
);
export type MembershipStatus = z.infer<typeof MembershipStatusSchema>;

/** `POST /api/1/organizations/{org}/membership/`: udata requires the comment. */
export const MembershipRequestInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ comment: requiredString(MAX_MEMBERSHIP_COMMENT_LENGTH) }).meta({ id: 'MembershipRequestInput' }),
);
export type MembershipRequestInput = z.output<typeof MembershipRequestInputSchema>;

/** `POST …/membership/{id}/refuse/`: the comment tells the user why (`refusal_comment`). */
export const MembershipRefuseInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ comment: requiredString(MAX_MEMBERSHIP_COMMENT_LENGTH) }).meta({ id: 'MembershipRefuseInput' }),
);
export type MembershipRefuseInput = z.output<typeof MembershipRefuseInputSchema>;

const userIdInput = /* @__PURE__ */ lazySchema(() =>
  z
    .string({
      error: (issue) => (issue.input === undefined ? 'This field is required.' : 'Expected a user id.'),
    })
    .trim()
    .min(1, 'This field is required.')
    .max(64, 'Expected a user id.'),
);

/**
 * `POST /api/1/organizations/{org}/member/`: an admin adds a user directly. `user` is the user's id,
 * or a user object as udata clients send it back (`{id, …}`).
 */
export const MemberAddInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      user: z.preprocess(
        (value) => (value !== null && typeof value === 'object' && 'id' in value ? value.id : value),
        userIdInput,
      ),
      role: OrgRoleSchema.default('editor'),
    })
    .meta({ id: 'MemberAddInput' }),
);
export type MemberAddInput = z.output<typeof MemberAddInputSchema>;

/** `PUT /api/1/organizations/{org}/member/{user}/`. */
export const MemberRoleInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ role: OrgRoleSchema }).meta({ id: 'MemberRoleInput' }),
);
export type MemberRoleInput = z.output<typeof MemberRoleInputSchema>;

/** A request to join, as the domain knows it. `kind` is always `request` (invitations are not built). */
export const MembershipRequestSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    organization: z.string(),
    user: MemberUserSchema,
    kind: z.literal('request'),
    status: MembershipStatusSchema,
    comment: z.string(),
    created: isoDateTime,
    handled_on: isoDateTime.nullable(),
    /** Id of the admin who accepted or refused it (or of whoever canceled it). */
    handled_by: z.string().nullable(),
    refusal_comment: z.string().nullable(),
  }),
);
export type MembershipRequest = z.infer<typeof MembershipRequestSchema>;

export function newMembershipRequest(
  ids: { id: string; organization: string },
  user: MemberUser,
  comment: string,
  now: Date,
): MembershipRequest {
  return {
    id: ids.id,
    organization: ids.organization,
    user,
    kind: 'request',
    status: 'pending',
    comment,
    created: now.toISOString(),
    handled_on: null,
    handled_by: null,
    refusal_comment: null,
  };
}
