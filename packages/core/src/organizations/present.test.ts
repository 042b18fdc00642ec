import { describe, expect, it } from 'vitest';
import { newMembershipRequest } from './membership';
import { newOrganization, OrganizationCreateInputSchema } from './organization';
import {
  MembershipRequestResponseSchema,
  ORG_ROLE_ENTRIES,
  OrganizationResponseSchema,
  presentMembershipRequest,
  presentOrganization,
} from './present';

const urls = { api: 'https://api.example.org', site: 'https://www.example.org' };
const creator = { id: 'a'.repeat(24), first_name: 'Camille', last_name: 'Martin', slug: 'camille-martin' };

describe('presentOrganization', () => {
  it("answers udata's fields, members with their user reference", () => {
    const organization = newOrganization(
      OrganizationCreateInputSchema.parse({
        name: 'DINUM',
        description: 'x',
        url: 'https://numerique.gouv.fr',
      }),
      { id: 'b'.repeat(24), slug: 'dinum' },
      creator,
      new Date('2026-01-01T00:00:00.000Z'),
    );
    const body = presentOrganization(organization, urls);
    expect(OrganizationResponseSchema.parse(body)).toEqual(body);
    expect(body).not.toHaveProperty('version');
    expect(body).not.toHaveProperty('admin_count');
    expect(body).toMatchObject({
      uri: `https://api.example.org/api/1/organizations/${'b'.repeat(24)}/`,
      page: 'https://www.example.org/organizations/dinum/',
      logo: null,
      logo_thumbnail: null,
      metrics: { datasets: 0, members: 1, followers: 0, reuses: 0, views: 0 },
      members: [
        {
          role: 'admin',
          since: '2026-01-01T00:00:00.000000+00:00',
          user: {
            ...creator,
            uri: `https://api.example.org/api/1/users/${creator.id}/`,
            page: 'https://www.example.org/users/camille-martin/',
          },
        },
      ],
    });
  });
});

describe('presentMembershipRequest', () => {
  it('hides the organization id and references the user', () => {
    const request = newMembershipRequest(
      { id: 'r'.repeat(24), organization: 'o'.repeat(24) },
      creator,
      'Hi',
      new Date(),
    );
    const body = presentMembershipRequest(request, urls);
    expect(MembershipRequestResponseSchema.parse(body)).toEqual(body);
    expect(body).not.toHaveProperty('organization');
    expect(body.user.page).toBe('https://www.example.org/users/camille-martin/');
  });
});

describe('ORG_ROLE_ENTRIES', () => {
  it("are udata's", () => {
    expect(ORG_ROLE_ENTRIES).toEqual([
      { id: 'admin', label: 'Administrator' },
      { id: 'editor', label: 'Editor' },
    ]);
  });
});
