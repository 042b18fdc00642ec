import { describe, expect, it } from 'vitest';
import type { Publisher } from '../dataset/dataset';
import {
  newHostedResource,
  newRemoteResource,
  ResourceCreateInputSchema,
  withAcceptedFile,
} from '../dataset/resource';
import { ValidationError } from '../errors';
import {
  applyCommunityResourceUpdate,
  CommunityResourceCreateInputSchema,
  CommunityResourceUpdateInputSchema,
  CommunityUploadRequestSchema,
  communityOwnership,
  newCommunityResource,
} from './community-resource';
import { presentCommunityResource } from './present';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const LATER = new Date('2026-03-02T10:00:00.000Z');
const urls = { api: 'https://api.example.org', site: 'https://www.example.org' };
const author: Publisher = {
  kind: 'user',
  id: 'a'.repeat(24),
  slug: 'alice',
  first_name: 'Alice',
  last_name: 'A',
};
const org: Publisher = { kind: 'organization', id: 'c'.repeat(24), slug: 'dinum', name: 'DINUM' };

function link(publisher: Publisher = author) {
  const input = ResourceCreateInputSchema.parse({ title: 'Carte', url: 'https://example.org/carte.geojson' });
  return newCommunityResource(
    newRemoteResource(input, { id: 'r1', dataset: 'd'.repeat(24) }, NOW),
    publisher,
    author.id,
  );
}

describe('community resources', () => {
  it('reads udata bodies: the dataset and organization as ids or {id}, the resource fields and rules', () => {
    const parsed = CommunityResourceCreateInputSchema.parse({
      dataset: { id: 'd1' },
      organization: { id: 'o1' },
      title: ' Carte ',
      url: 'https://example.org/x',
      format: ' GeoJSON ',
    });
    expect(parsed).toMatchObject({
      dataset: 'd1',
      organization: 'o1',
      title: 'Carte',
      format: 'geojson',
      type: 'other',
    });
    const missing = CommunityResourceCreateInputSchema.safeParse({ title: '' });
    expect(missing.success).toBe(false);
    const paths = missing.error?.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['dataset', 'title', 'url']);
    expect(
      CommunityUploadRequestSchema.parse({ filename: 'a.csv', size: 3, organization: 'o1' }),
    ).toMatchObject({
      organization: 'o1',
      mime: 'application/octet-stream',
    });
  });

  it('has exactly one owner, as datasets: the user who posted it, or the organization it was posted for', () => {
    expect(link()).toMatchObject({ owner: author.id, organization: null, posted_by: author.id, version: 1 });
    const forOrg = link(org);
    expect(forOrg).toMatchObject({ owner: null, organization: org.id, posted_by: author.id });
    expect(communityOwnership(forOrg)).toEqual({ owner: null, organization: org.id });
    const presented = presentCommunityResource(forOrg, urls);
    expect(presented.owner).toBeNull();
    expect(presented.organization).toMatchObject({ class: 'Organization', id: org.id, name: 'DINUM' });
    expect(presented.latest).toBe('https://example.org/carte.geojson');
    expect(presented.dataset).toEqual({
      class: 'Dataset',
      id: 'd'.repeat(24),
      uri: `https://api.example.org/api/1/datasets/${'d'.repeat(24)}/`,
      page: `https://www.example.org/datasets/${'d'.repeat(24)}/`,
    });
  });

  it('updates with the resource rules, bumping its version only when something changed', () => {
    const current = link();
    const { resource, changes } = applyCommunityResourceUpdate(
      current,
      CommunityResourceUpdateInputSchema.parse({ title: 'Carte 2', format: 'JSON' }),
      LATER,
    );
    expect(changes.sort()).toEqual(['format', 'title']);
    expect(resource).toMatchObject({ title: 'Carte 2', format: 'json', version: 2, owner: author.id });
    expect(applyCommunityResourceUpdate(current, { title: 'Carte' }, LATER)).toEqual({
      resource: current,
      changes: [],
    });
    expect(() => applyCommunityResourceUpdate(current, { filetype: 'file' }, LATER)).toThrow(ValidationError);
  });

  it('keeps who owns it when its file is accepted', () => {
    const upload = {
      id: 'u1',
      key: 'datasets/d/r1/u1/a.csv',
      filename: 'a.csv',
      mime: 'text/csv',
      size: 3,
      max_bytes: 10,
      multipart_id: null,
      part_size: null,
      status: 'pending' as const,
      reason: null,
      created_at: NOW.toISOString(),
      expires_at: LATER.toISOString(),
    };
    const pending = newCommunityResource(
      newHostedResource(
        { title: 'a.csv', description: null, type: 'main' },
        { id: 'r1', dataset: 'd' },
        upload,
        NOW,
      ),
      org,
      author.id,
    );
    const accepted = withAcceptedFile(
      { ...pending, upload },
      {
        key: 'files/d/r1/u/run/data.csv',
        size: 3,
        sha1: 'aa',
        sha256: 'bb',
        format: 'csv',
        mime: 'text/csv',
      },
      LATER,
    );
    expect(accepted).toMatchObject({
      status: 'available',
      object_key: 'files/d/r1/u/run/data.csv',
      checksum: { type: 'sha1', value: 'aa' },
      organization: org.id,
      publisher: org,
      upload: { status: 'available' },
    });
  });
});
