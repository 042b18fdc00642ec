import { describe, expect, it } from 'vitest';
import {
  COMMUNITY_RESOURCE_INTENTS,
  communityResourceVerdict,
  DATASET_INTENTS,
  type DatasetAccessState,
  type DatasetIntent,
  DISCUSSION_INTENTS,
  type DiscussionIntent,
  datasetVerdict,
  discussionVerdict,
  HARVEST_SOURCE_INTENTS,
  type HarvestSourceIntent,
  harvestSourceVerdict,
  type OrganizationIntent,
  organizationVerdict,
  type Refusal,
  resourceVerdict,
  TRANSFER_INTENTS,
  transferVerdict,
} from './access';
import { ANONYMOUS, type Caller } from './caller';
import type { OrgRole, OwnedObject } from './permissions';

/**
 * The access ladder as a table: every object state × every actor × every intent. Each cell is what the
 * API answers (`ok`, 404, 410, 403), actors in the order of ACTORS.
 */
const OWNER = 'a'.repeat(24);
const OTHER = 'b'.repeat(24);
const EDITOR = 'c'.repeat(24);
const ADMIN = 'd'.repeat(24);
const SYSADMIN = 'e'.repeat(24);
const ORG = 'f'.repeat(24);

type Actor = 'anonymous' | 'other' | 'editor' | 'admin' | 'owner' | 'sysadmin';
const ACTORS: readonly Actor[] = ['anonymous', 'other', 'editor', 'admin', 'owner', 'sysadmin'];

function user(id: string, sysadmin = false): Caller {
  return { kind: 'user', id, sysadmin, confirmed: true, via: 'api-key' };
}
const callers: Record<Actor, Caller> = {
  anonymous: ANONYMOUS,
  other: user(OTHER),
  editor: user(EDITOR),
  admin: user(ADMIN),
  owner: user(OWNER),
  sysadmin: user(SYSADMIN, true),
};
/** The actor's role in ORG (editor and admin are its members; nobody else is). */
function roleInOrg(actor: Actor, organization: string | null): OrgRole | null {
  if (organization !== ORG) return null;
  return actor === 'editor' ? 'editor' : actor === 'admin' ? 'admin' : null;
}

const STATUS: Record<Refusal, string> = { unknown: '404', hidden: '404', gone: '410', forbidden: '403' };
const cell = (refusal: Refusal | null) => (refusal ? STATUS[refusal] : 'ok');
const row = (answer: (actor: Actor) => Refusal | null) =>
  ACTORS.map((actor) => cell(answer(actor))).join(' ');

const userOwned: OwnedObject = { owner: OWNER, organization: null };
const orgOwned: OwnedObject = { owner: null, organization: ORG };
const DELETED = '2026-01-01T00:00:00.000Z';

function dataset(owned: OwnedObject, state: { private: boolean; deleted: boolean }): DatasetAccessState {
  return { ...owned, private: state.private, deleted: state.deleted ? DELETED : null };
}

describe('datasetVerdict', () => {
  //                 anonymous other editor admin owner sysadmin
  const table: Record<string, Record<DatasetIntent, string>> = {
    'user-owned public live': {
      read: 'ok ok ok ok ok ok',
      edit: '403 403 403 403 ok ok',
      delete: '403 403 403 403 ok ok',
      restore: '403 403 403 403 ok ok',
      transfer: '403 403 403 403 ok ok',
    },
    'user-owned private live': {
      read: '404 404 404 404 ok ok',
      edit: '404 404 404 404 ok ok',
      delete: '404 404 404 404 ok ok',
      restore: '404 404 404 404 ok ok',
      transfer: '404 404 404 404 ok ok',
    },
    'user-owned public deleted': {
      read: '410 410 410 410 410 410',
      edit: '410 410 410 410 410 410',
      delete: '410 410 410 410 410 410',
      restore: '403 403 403 403 ok ok',
      transfer: '410 410 410 410 410 410',
    },
    'user-owned private deleted': {
      read: '410 410 410 410 410 410',
      edit: '410 410 410 410 410 410',
      delete: '410 410 410 410 410 410',
      restore: '404 404 404 404 ok ok',
      transfer: '410 410 410 410 410 410',
    },
    'org-owned public live': {
      read: 'ok ok ok ok ok ok',
      edit: '403 403 ok ok 403 ok',
      delete: '403 403 ok ok 403 ok',
      restore: '403 403 ok ok 403 ok',
      // Editors may change the dataset, not give it away: its admins may.
      transfer: '403 403 403 ok 403 ok',
    },
    'org-owned private live': {
      read: '404 404 ok ok 404 ok',
      edit: '404 404 ok ok 404 ok',
      delete: '404 404 ok ok 404 ok',
      restore: '404 404 ok ok 404 ok',
      transfer: '404 404 403 ok 404 ok',
    },
    'org-owned public deleted': {
      read: '410 410 410 410 410 410',
      edit: '410 410 410 410 410 410',
      delete: '410 410 410 410 410 410',
      restore: '403 403 ok ok 403 ok',
      transfer: '410 410 410 410 410 410',
    },
    'org-owned private deleted': {
      read: '410 410 410 410 410 410',
      edit: '410 410 410 410 410 410',
      delete: '410 410 410 410 410 410',
      restore: '404 404 ok ok 404 ok',
      transfer: '410 410 410 410 410 410',
    },
  };

  for (const [state, intents] of Object.entries(table)) {
    const owned = state.startsWith('user') ? userOwned : orgOwned;
    const subject = dataset(owned, {
      private: state.includes('private'),
      deleted: state.endsWith('deleted'),
    });
    for (const intent of DATASET_INTENTS) {
      it(`${state}, ${intent}`, () => {
        expect(
          row((actor) =>
            datasetVerdict(callers[actor], subject, roleInOrg(actor, owned.organization), intent),
          ),
        ).toBe(intents[intent]);
      });
    }
  }

  it('answers 404 to everyone, whatever the intent, for a dataset that does not exist', () => {
    for (const intent of DATASET_INTENTS) {
      expect(row((actor) => datasetVerdict(callers[actor], null, null, intent))).toBe(
        '404 404 404 404 404 404',
      );
    }
  });
});

describe('resourceVerdict', () => {
  it('hides a file still uploading from those who may not edit its dataset, and nothing else', () => {
    expect(resourceVerdict(null, true)).toBe('unknown');
    expect(resourceVerdict({ visible: true }, false)).toBeNull();
    expect(resourceVerdict({ visible: false }, false)).toBe('hidden');
    expect(resourceVerdict({ visible: false }, true)).toBeNull();
  });
});

describe('communityResourceVerdict', () => {
  const cases: Record<
    string,
    { resource: OwnedObject; dataset: DatasetAccessState | null; read: string; edit: string }
  > = {
    "the owner's, on the organization's public dataset": {
      resource: userOwned,
      dataset: dataset(orgOwned, { private: false, deleted: false }),
      read: 'ok ok ok ok ok ok',
      edit: '403 403 403 403 ok ok',
    },
    "the owner's, on the owner's private dataset": {
      resource: userOwned,
      dataset: dataset(userOwned, { private: true, deleted: false }),
      read: '404 404 404 404 ok ok',
      edit: '404 404 404 404 ok ok',
    },
    "the organization's, on its private dataset": {
      resource: orgOwned,
      dataset: dataset(orgOwned, { private: true, deleted: false }),
      read: '404 404 ok ok 404 ok',
      edit: '404 404 ok ok 404 ok',
    },
    // Its author sees it on a dataset they may not see; the dataset's editors see it and may not change it.
    "the owner's, on the organization's private dataset": {
      resource: userOwned,
      dataset: dataset(orgOwned, { private: true, deleted: false }),
      read: '404 404 ok ok ok ok',
      edit: '404 404 403 403 ok ok',
    },
    "the organization's, on a deleted dataset": {
      resource: orgOwned,
      dataset: dataset(orgOwned, { private: true, deleted: true }),
      read: '410 410 410 410 410 410',
      edit: '410 410 410 410 410 410',
    },
    'one whose dataset no longer exists': {
      resource: userOwned,
      dataset: null,
      read: '404 404 404 404 404 404',
      edit: '404 404 404 404 404 404',
    },
  };
  for (const [name, { resource, dataset: on, ...expected }] of Object.entries(cases)) {
    for (const intent of COMMUNITY_RESOURCE_INTENTS) {
      it(`${name}, ${intent}`, () => {
        const answer = (actor: Actor) =>
          communityResourceVerdict(
            callers[actor],
            { resource, dataset: on },
            {
              resource: roleInOrg(actor, resource.organization),
              dataset: roleInOrg(actor, on?.organization ?? null),
            },
            intent,
          );
        expect(row(answer)).toBe(expected[intent]);
      });
    }
  }
});

describe('organizationVerdict', () => {
  // `self` intents name the caller (their own request, leaving); `others` name someone else.
  const intents: Record<string, (caller: Caller) => OrganizationIntent> = {
    read: () => ({ action: 'read' }),
    'list-requests': () => ({ action: 'list-requests', forUser: null }),
    'list-requests of their own': (caller) => ({
      action: 'list-requests',
      forUser: caller.kind === 'user' ? caller.id : null,
    }),
    edit: () => ({ action: 'edit' }),
    delete: () => ({ action: 'delete' }),
    'manage-members': () => ({ action: 'manage-members' }),
    join: () => ({ action: 'join' }),
    'remove-member (themself)': (caller) => ({
      action: 'remove-member',
      member: caller.kind === 'user' ? caller.id : '',
    }),
    'remove-member (someone else)': () => ({ action: 'remove-member', member: OWNER.replace('a', '0') }),
    'cancel-request (theirs)': (caller) => ({
      action: 'cancel-request',
      requester: caller.kind === 'user' ? caller.id : '',
    }),
    'cancel-request (someone else’s)': () => ({
      action: 'cancel-request',
      requester: OTHER.replace('b', '0'),
    }),
  };
  //                 anonymous other editor admin owner sysadmin
  const table: Record<'live' | 'deleted', Record<string, string>> = {
    live: {
      read: 'ok ok ok ok ok ok',
      'list-requests': '403 403 ok ok 403 ok',
      'list-requests of their own': '403 ok ok ok ok ok',
      edit: '403 403 403 ok 403 ok',
      delete: '403 403 403 ok 403 ok',
      'manage-members': '403 403 403 ok 403 ok',
      join: 'ok ok ok ok ok ok',
      'remove-member (themself)': '403 ok ok ok ok ok',
      'remove-member (someone else)': '403 403 403 ok 403 ok',
      'cancel-request (theirs)': '403 ok ok ok ok ok',
      'cancel-request (someone else’s)': '403 403 403 ok 403 ok',
    },
    // Its members (and sysadmins) still read a deleted organization and its requests; nobody changes it.
    deleted: {
      read: '410 410 ok ok 410 ok',
      'list-requests': '410 410 ok ok 410 ok',
      'list-requests of their own': '410 410 ok ok 410 ok',
      edit: '410 410 410 410 410 410',
      delete: '410 410 410 410 410 410',
      'manage-members': '410 410 410 410 410 410',
      join: '410 410 410 410 410 410',
      'remove-member (themself)': '410 410 410 410 410 410',
      'remove-member (someone else)': '410 410 410 410 410 410',
      'cancel-request (theirs)': '410 410 410 410 410 410',
      'cancel-request (someone else’s)': '410 410 410 410 410 410',
    },
  };
  for (const [state, expected] of Object.entries(table)) {
    const organization = { deleted: state === 'deleted' ? DELETED : null };
    for (const [name, intent] of Object.entries(intents)) {
      it(`${state}, ${name}`, () => {
        const answer = (actor: Actor) =>
          organizationVerdict(callers[actor], organization, roleInOrg(actor, ORG), intent(callers[actor]));
        expect(row(answer)).toBe(expected[name]);
      });
    }
  }

  it('answers 404 for an organization that does not exist', () => {
    for (const intent of Object.values(intents)) {
      expect(row((actor) => organizationVerdict(callers[actor], null, null, intent(callers[actor])))).toBe(
        '404 404 404 404 404 404',
      );
    }
  });
});

describe('transferVerdict', () => {
  const cases: Record<string, { owner: OwnedObject; recipient: OwnedObject; read: string; respond: string }> =
    {
      // Its asker sees it; only an admin of the recipient organization answers it.
      'from the owner to the organization': {
        owner: userOwned,
        recipient: orgOwned,
        read: '403 403 403 ok ok ok',
        respond: '403 403 403 ok 403 ok',
      },
      // Every member of the giving organization sees it; only the recipient user answers it.
      'from the organization to another user': {
        owner: orgOwned,
        recipient: { owner: OTHER, organization: null },
        read: '403 ok ok ok 403 ok',
        respond: '403 ok 403 403 403 ok',
      },
    };
  for (const [name, { owner, recipient, ...expected }] of Object.entries(cases)) {
    for (const intent of TRANSFER_INTENTS) {
      it(`${name}, ${intent}`, () => {
        const answer = (actor: Actor) =>
          transferVerdict(
            callers[actor],
            { owner, recipient },
            {
              owner: roleInOrg(actor, owner.organization),
              recipient: roleInOrg(actor, recipient.organization),
            },
            intent,
          );
        expect(row(answer)).toBe(expected[intent]);
      });
    }
  }

  it('answers 404 for a transfer that does not exist', () => {
    for (const intent of TRANSFER_INTENTS) {
      expect(
        row((actor) => transferVerdict(callers[actor], null, { owner: null, recipient: null }, intent)),
      ).toBe('404 404 404 404 404 404');
    }
  });
});

describe('discussionVerdict', () => {
  // The discussion's author is `owner`. Anonymous callers read; confirmed accounts comment; the author
  // edits and deletes (sysadmins pass every check); sysadmins moderate. Held: hidden to all but its author
  // and sysadmins.
  const cases: Record<'published' | 'held', Record<DiscussionIntent, string>> = {
    published: {
      read: 'ok ok ok ok ok ok',
      comment: '403 ok ok ok ok ok',
      edit: '403 403 403 403 ok ok',
      delete: '403 403 403 403 ok ok',
      moderate: '403 403 403 403 403 ok',
    },
    held: {
      read: '404 404 404 404 ok ok',
      comment: '404 404 404 404 ok ok',
      edit: '404 404 404 404 ok ok',
      delete: '404 404 404 404 ok ok',
      moderate: '404 404 404 404 403 ok',
    },
  };
  for (const [state, expected] of Object.entries(cases)) {
    for (const intent of DISCUSSION_INTENTS) {
      it(`${state}, ${intent}`, () => {
        const answer = (actor: Actor) =>
          discussionVerdict(callers[actor], { author: OWNER, held: state === 'held' }, intent);
        expect(row(answer)).toBe(expected[intent as DiscussionIntent]);
      });
    }
  }

  it('answers 404 for a discussion that does not exist', () => {
    for (const intent of DISCUSSION_INTENTS) {
      expect(row((actor) => discussionVerdict(callers[actor], null, intent))).toBe('404 404 404 404 404 404');
    }
  });
});

describe('harvestSourceVerdict', () => {
  //                 anonymous other editor admin owner sysadmin
  const table: Record<string, Record<HarvestSourceIntent, string>> = {
    'user-owned live': {
      read: 'ok ok ok ok ok ok',
      manage: '403 403 403 403 ok ok',
      preview: '403 403 403 403 ok ok',
      validate: '403 403 403 403 403 ok',
      schedule: '403 403 403 403 403 ok',
    },
    'organization-owned live': {
      read: 'ok ok ok ok ok ok',
      manage: '403 403 403 ok 403 ok',
      preview: '403 403 ok ok 403 ok',
      validate: '403 403 403 403 403 ok',
      schedule: '403 403 403 403 403 ok',
    },
    'organization-owned deleted': {
      read: '410 410 410 410 410 410',
      manage: '410 410 410 410 410 410',
      preview: '410 410 410 410 410 410',
      validate: '410 410 410 410 410 410',
      schedule: '410 410 410 410 410 410',
    },
  };
  for (const [name, expected] of Object.entries(table)) {
    const owned = name.startsWith('user') ? userOwned : orgOwned;
    const source = { ...owned, deleted: name.endsWith('deleted') ? DELETED : null };
    for (const intent of HARVEST_SOURCE_INTENTS) {
      it(`${name}, ${intent}`, () => {
        const answer = (actor: Actor) =>
          harvestSourceVerdict(callers[actor], source, roleInOrg(actor, owned.organization), intent);
        expect(row(answer)).toBe(expected[intent]);
      });
    }
  }
  it('answers 404 for a source that does not exist', () => {
    for (const intent of HARVEST_SOURCE_INTENTS) {
      expect(row((actor) => harvestSourceVerdict(callers[actor], null, null, intent))).toBe(
        '404 404 404 404 404 404',
      );
    }
  });
});
