import { describe, expect, it } from 'vitest';
import { planOwnerListing, planPublicListing } from './dataset-listing';

const org = '5e7b5c2d1c9b8a0012345678';
const user = '6e7b5c2d1c9b8a0012345678';

/** Which index and partition serve a listing, and where its total comes from. */
function summary(plan: ReturnType<typeof planPublicListing>) {
  return {
    index: plan.query.index,
    partition: plan.query.partition,
    ascending: plan.query.ascending ?? false,
    filter: plan.query.filter?.expression ?? null,
    via: plan.via,
    total: 'counter' in plan.total ? `counter ${plan.total.counter}` : `count ${plan.total.count.partition}`,
  };
}

describe('planPublicListing', () => {
  it('reads the global listing by creation (GSI1) or last update (GSI3), with the global counter', () => {
    expect(summary(planPublicListing({ tags: [] }, '-created'))).toEqual({
      index: 'GSI1',
      partition: 'DATASETS',
      ascending: false,
      filter: null,
      via: 'items',
      total: 'counter datasets',
    });
    expect(summary(planPublicListing({ tags: [] }, 'last_update'))).toMatchObject({
      index: 'GSI3',
      partition: 'DATASETS',
      ascending: true,
    });
  });

  it('drives by the first tag and filters the rest on its views, counting them', () => {
    const plan = planPublicListing(
      { tags: ['bus', 'train'], organization: org, license: 'lov2', format: 'csv' },
      '-created',
    );
    expect(summary(plan)).toEqual({
      index: 'GSI1',
      partition: 'TAG#bus',
      ascending: false,
      filter:
        'contains(#tags, :tags0) AND #organization = :organization1 AND #license = :license2 AND contains(#formats, :formats3)',
      via: 'views',
      total: 'count TAG#bus',
    });
    expect(plan.query.filter?.values).toEqual({
      ':tags0': 'train',
      ':organization1': org,
      ':license2': 'lov2',
      ':formats3': 'csv',
    });
  });

  it('serves an owner from its partition: the items on GSI2 by creation, its views on GSI3 by last update', () => {
    expect(summary(planPublicListing({ tags: [], owner: user }, '-created'))).toEqual({
      index: 'GSI2',
      partition: `USER#${user}#DATASETS`,
      ascending: false,
      filter: '#listed = :listed0',
      via: 'items',
      total: `counter datasets:user:${user}:public`,
    });
    expect(
      summary(planPublicListing({ tags: [], organization: org, license: 'lov2' }, '-last_update')),
    ).toEqual({
      index: 'GSI3',
      partition: `ORG#${org}#DATASETS`,
      ascending: false,
      filter: '#listed = :listed0 AND #license = :license1',
      via: 'views',
      total: `count ORG#${org}#DATASETS`,
    });
  });

  it('serves a license from its views, with its counter; a format alone filters the global listing', () => {
    expect(summary(planPublicListing({ tags: [], license: 'lov2' }, '-created'))).toMatchObject({
      partition: 'LICENSE#lov2',
      via: 'views',
      total: 'counter datasets:license:lov2',
    });
    expect(
      summary(planPublicListing({ tags: [], license: 'lov2', format: 'csv' }, '-created')),
    ).toMatchObject({
      partition: 'LICENSE#lov2',
      filter: 'contains(#formats, :formats0)',
      total: 'count LICENSE#lov2',
    });
    expect(summary(planPublicListing({ tags: [], format: 'csv' }, 'created'))).toMatchObject({
      partition: 'DATASETS',
      filter: 'contains(#formats, :formats0)',
      via: 'items',
      total: 'counter datasets:format:csv',
    });
  });

  it('refuses organization and owner together', () => {
    expect(() => planPublicListing({ tags: [], organization: org, owner: user }, '-created')).toThrow(
      /not both|cannot be combined/,
    );
  });
});

describe('planOwnerListing', () => {
  it('shows members everything live, others what is listed', () => {
    const owner = { kind: 'organization' as const, id: org };
    expect(summary(planOwnerListing(owner, true, '-created'))).toMatchObject({
      index: 'GSI2',
      filter: null,
      total: `counter datasets:organization:${org}`,
    });
    expect(summary(planOwnerListing(owner, false, 'last_update'))).toMatchObject({
      index: 'GSI3',
      ascending: true,
      filter: '#listed = :listed0',
      via: 'views',
      total: `counter datasets:organization:${org}:public`,
    });
  });
});
