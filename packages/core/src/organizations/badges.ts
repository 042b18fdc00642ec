import * as z from 'zod';
import { lazySchema } from '../lazy-schema';
import type { Organization } from './organization';

/** udata's organization badges (`Organization.__badges__`), set by sysadmins, with their labels. */
export const ORGANIZATION_BADGES = {
  'public-service': 'Public Service',
  certified: 'Certified',
  association: 'Association',
  company: 'Company',
  'local-authority': 'Local authority',
} as const;
export type OrganizationBadgeKind = keyof typeof ORGANIZATION_BADGES;

const KINDS = Object.keys(ORGANIZATION_BADGES) as [OrganizationBadgeKind, ...OrganizationBadgeKind[]];

export const OrganizationBadgeKindSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(KINDS, {
    error: `Expected one of: ${KINDS.join(', ')}.`,
  }),
);

/** `POST /api/1/organizations/{org}/badges/` body, as udata: `{kind}`. */
export const OrganizationBadgeInputSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ kind: OrganizationBadgeKindSchema }).meta({ id: 'OrganizationBadgeInput' }),
);

export const OrganizationBadgeSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({ kind: z.string() }).meta({ id: 'OrganizationBadge' }),
);

/** `GET /api/1/organizations/badges/`: udata's map of badge kinds to labels. */
export const OrganizationBadgeListSchema = /* @__PURE__ */ lazySchema(() =>
  z.record(z.string(), z.string()).meta({ id: 'OrganizationBadgeList', example: ORGANIZATION_BADGES }),
);

export function hasBadge(organization: Pick<Organization, 'badges'>, kind: string): boolean {
  return organization.badges.some((badge) => badge.kind === kind);
}

/** The badges with `kind` added (kept in the order given) or removed. */
export function badgesWith(organization: Pick<Organization, 'badges'>, kind: OrganizationBadgeKind) {
  return hasBadge(organization, kind) ? organization.badges : [...organization.badges, { kind }];
}
export function badgesWithout(organization: Pick<Organization, 'badges'>, kind: string) {
  return organization.badges.filter((badge) => badge.kind !== kind);
}
