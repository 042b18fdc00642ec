/**
 * The permission matrix (DESIGN.md, Security rules; issue 3 item 6): every route of the route table,
 * called by six actors, with the status the product rules give each of them:
 *
 * - `authenticated` routes answer 401 to anonymous callers;
 * - a signed-in caller without the permission gets udata's 403;
 * - a private dataset answers 404 to whoever may not edit it;
 * - public reads answer 200 to everyone;
 * - anonymous-only routes (register, login, reset…) never look at credentials: they answer the same
 *   whoever calls, so each cell sends valid input (a fresh email, a token read from the mail outbox).
 *
 * Actors: `anonymous` (no credentials), `other` (a confirmed user with no relation to the objects),
 * `editor` and `admin` (of the organization concerned), `owner` (the user the object belongs to, see
 * below) and `sysadmin`. Signed-in actors send their `X-API-KEY`. A seventh row, `unconfirmed` (an
 * account whose email is not confirmed yet), is derived at the end of the file.
 *
 * What `owner` means depends on the object:
 * - a user-owned dataset: the user who owns it; `/me` routes: the account holder itself (every
 *   signed-in actor is the owner of their own `/me`, so cells that change it use a new account);
 * - a dataset of organization O: nobody owns it but O, so `owner` (of the user-owned datasets) is a
 *   stranger to it, like `other`;
 * - an organization (get, update, delete, list its datasets or requests, ask to join): an organization
 *   has no owner beyond its admins, so `owner` is its creator, who is its admin (same credentials);
 * - a membership request: the user who made it; a membership: the member it is about (the user being
 *   added, promoted or removed). That is where `owner` differs from `admin` and the matrix checks that a
 *   user cannot accept their own request, add or promote themself, but may cancel their request or leave;
 * - a transfer: `owner` owns the user-owned datasets, so it is the giving side of a transfer of its
 *   dataset to O, and the receiving side of a transfer of O's dataset to it;
 * - a community resource: the user who posted it (`owner`), or O when O's editor posted it for O; the
 *   owner of the dataset it is attached to has no say over it;
 * - a resource or an upload: the dataset's (whoever may edit the dataset may change its resources).
 *
 * Each cell that changes or consumes state builds its own objects (dataset, organization, request,
 * account, token) in its own setup, so cells run concurrently without seeing each other.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { routeList, type routes } from '../functions/routes';
import {
  linkIn,
  mailTo,
  newUser,
  PASSWORD,
  register,
  type TestUser,
  uniqueEmail,
  login as userLogin,
} from './accounts';
import { serveCkanCatalogue } from './ckan-catalogue';
import { api, uniqueTitle } from './client';

const ACTORS = ['anonymous', 'other', 'editor', 'admin', 'owner', 'sysadmin'] as const;
type Actor = (typeof ACTORS)[number];
type SignedIn = Exclude<Actor, 'anonymous'>;
/** The route table's keys, which are its operationIds (checked by the first test). */
type OperationId = keyof typeof routes;

/** What one actor sends: the route's method and path come from the route table. */
interface Call {
  headers: Record<string, string>;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

interface Case {
  /** The object called on, when an operation has several cases. */
  on?: string;
  /** Builds the call of one actor, making the objects this cell changes or consumes. */
  call: (actor: Actor) => Promise<Call>;
  expect: Record<Actor, number>;
  /** An object (by id) a listing must show to these actors, and only to them. */
  lists?: { item: () => string; to: readonly Actor[] };
}

// ---------------------------------------------------------------------------------------------------
// Fixtures, built once

interface Fixtures {
  users: Record<SignedIn, TestUser>;
  /** Organization O: `admin` created it, `editor` was added as editor. */
  org: string;
  /** An organization deleted after `editor` joined it. */
  deletedOrg: string;
  datasets: { ownerPublic: string; ownerPrivate: string; orgPublic: string; orgPrivate: string };
  /** Community resources posted by `owner` or for O (see `postCommunityResource`). */
  communityResources: Record<'owner-on-org-public' | 'owner-on-owner-private' | 'org-on-org-private', string>;
  /** Resources read by every actor (see `beforeAll`). */
  resources: { ownerPublicLink: string; orgPrivateLink: string; ownerPublicPending: string };
  /** Pending transfers: a dataset of `owner` to O (asked by owner), one of O to `owner` (asked by admin). */
  transfers: Record<TransferDirection, string>;
  /** A published discussion `owner` opened on O's public dataset, which every listing shows. */
  discussion: string;
  /** Reuses of `owner` and of O (published by its editor), public or private. */
  reuses: Record<ReuseKind, string>;
}
let fx: Fixtures;

function expectStatus(response: Awaited<ReturnType<typeof api.request>>, status: number, what: string) {
  if (response.status !== status) {
    throw new Error(`setup: ${what} answered ${response.status}, expected ${status}: ${response.text}`);
  }
  return response;
}

async function createOrganization(by: TestUser): Promise<string> {
  const response = await api.post(
    '/api/1/organizations/',
    { name: uniqueTitle('Organisation'), description: 'Described.' },
    by.headers,
  );
  return expectStatus(response, 201, 'creating an organization').json.id as string;
}

async function addMember(org: string, user: TestUser, role: 'admin' | 'editor', by = fx.users.admin) {
  const response = await api.post(`/api/1/organizations/${org}/member/`, { user: user.id, role }, by.headers);
  expectStatus(response, 201, `adding a member as ${role}`);
}

/** A new organization in which the actors hold their roles: `admin` created it, `editor` edits. */
async function freshOrganization(): Promise<string> {
  const org = await createOrganization(fx.users.admin);
  await addMember(org, fx.users.editor, 'editor');
  return org;
}

/** A pending request of `user` to join `org`; returns its id. */
async function askToJoin(org: string, user: TestUser): Promise<string> {
  const response = await api.post(
    `/api/1/organizations/${org}/membership/`,
    { comment: 'Je travaille ici.' },
    user.headers,
  );
  return expectStatus(response, 201, 'asking to join').json.id as string;
}

type DatasetKind = 'owner-public' | 'owner-private' | 'org-public' | 'org-private';

/** A dataset owned by `owner`, or by organization O (published by its editor). */
async function createDataset(kind: DatasetKind): Promise<string> {
  const forOrg = kind.startsWith('org');
  const response = await api.post(
    '/api/1/datasets/',
    {
      title: uniqueTitle('Matrice'),
      description: 'Described.',
      private: kind.endsWith('private'),
      ...(forOrg ? { organization: fx.org } : {}),
    },
    (forOrg ? fx.users.editor : fx.users.owner).headers,
  );
  return expectStatus(response, 201, `creating a ${kind} dataset`).json.id as string;
}

type TransferDirection = 'to-org' | 'to-owner';

/** The recipient of a transfer of a `kind` dataset: O for the owner's datasets, `owner` for O's. */
function recipientFor(kind: DatasetKind) {
  return kind.startsWith('org')
    ? { class: 'User', id: fx.users.owner.id }
    : { class: 'Organization', id: fx.org };
}

/** A pending transfer of a new dataset: the owner's to O, or O's to the owner (asked by O's admin). */
async function pendingTransfer(direction: TransferDirection): Promise<string> {
  const kind: DatasetKind = direction === 'to-org' ? 'owner-public' : 'org-public';
  const response = await api.post(
    '/api/1/transfer/',
    {
      subject: { class: 'Dataset', id: await createDataset(kind) },
      recipient: recipientFor(kind),
      comment: 'À vous.',
    },
    (direction === 'to-org' ? fx.users.owner : fx.users.admin).headers,
  );
  return expectStatus(response, 201, `asking for a transfer ${direction}`).json.id as string;
}

/**
 * A webhook of the owner's, or of O (registered by O's admin): a new one per cell. Registered paused:
 * permissions do not depend on it, and an active one would queue a failing delivery (with its day of
 * retries) for every dataset the other cells create in O.
 */
async function newWebhook(of: 'owner' | 'org'): Promise<string> {
  const response = await api.post(
    '/api/1/webhooks/',
    {
      url: 'https://hooks.example.org/portail',
      events: ['dataset.created'],
      active: false,
      ...(of === 'org' ? { organization: fx.org } : {}),
    },
    (of === 'owner' ? fx.users.owner : fx.users.admin).headers,
  );
  return expectStatus(response, 201, `registering a webhook of the ${of}`).json.id as string;
}

/** A webhook route: only its user, an admin of its organization, or a sysadmin; others are told 404. */
function webhookCases(extra: Omit<Call, 'headers' | 'params'> = {}, ok = 200): Case[] {
  return [
    {
      on: "the owner's webhook",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await newWebhook('owner') },
        ...extra,
      }),
      expect: { anonymous: 401, other: 404, editor: 404, admin: 404, owner: ok, sysadmin: ok },
    },
    {
      on: "O's webhook",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await newWebhook('org') },
        ...extra,
      }),
      expect: { anonymous: 401, other: 404, editor: 404, admin: ok, owner: 404, sysadmin: ok },
    },
  ];
}

/** A contact point of the owner's, or of O (created by O's editor): a new one per cell. */
async function newContactPoint(of: 'owner' | 'org'): Promise<string> {
  const response = await api.post(
    '/api/1/contacts/',
    {
      name: 'Service des données',
      email: 'donnees@example.org',
      role: 'contact',
      ...(of === 'org' ? { organization: fx.org } : {}),
    },
    (of === 'owner' ? fx.users.owner : fx.users.editor).headers,
  );
  return expectStatus(response, 201, `creating a contact point of the ${of}`).json.id as string;
}

/** A change to a contact point: its user, or a member of its organization, and sysadmins. */
function contactPointChangeCases(ok: number, body?: unknown): Case[] {
  return [
    {
      on: "the owner's contact point",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { contact: await newContactPoint('owner') },
        ...(body === undefined ? {} : { body }),
      }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: ok, sysadmin: ok },
    },
    {
      on: "O's contact point",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { contact: await newContactPoint('org') },
        ...(body === undefined ? {} : { body }),
      }),
      expect: { anonymous: 401, other: 403, editor: ok, admin: ok, owner: 403, sysadmin: ok },
    },
  ];
}

const TRANSFER_LABELS: Record<TransferDirection, string> = {
  'to-org': "owner's dataset to O",
  'to-owner': "O's dataset to owner",
};

type CommunityResourceKind =
  | 'owner-on-org-public'
  | 'org-on-owner-public'
  | 'owner-on-owner-private'
  | 'org-on-org-private';

/**
 * A community resource posted by `owner` for themself, or by O's editor for O, on one of the shared
 * datasets (O's or the owner's, public or private).
 */
async function postCommunityResource(kind: CommunityResourceKind): Promise<string> {
  const [by, on] = kind.split('-on-') as ['owner' | 'org', string];
  const dataset = {
    'org-public': fx.datasets.orgPublic,
    'owner-public': fx.datasets.ownerPublic,
    'owner-private': fx.datasets.ownerPrivate,
    'org-private': fx.datasets.orgPrivate,
  }[on]!;
  const response = await api.post(
    '/api/1/datasets/community_resources/',
    {
      dataset,
      title: uniqueTitle('Carte'),
      url: 'https://example.org/carte.geojson',
      ...(by === 'org' ? { organization: fx.org } : {}),
    },
    (by === 'org' ? fx.users.editor : fx.users.owner).headers,
  );
  return expectStatus(response, 201, `posting a ${kind} community resource`).json.id as string;
}

const COMMUNITY_LABELS: Record<CommunityResourceKind, string> = {
  'owner-on-org-public': "owner's, on O's public dataset",
  'org-on-owner-public': "O's, on owner's public dataset",
  'owner-on-owner-private': "owner's, on owner's private dataset",
  'org-on-org-private': "O's, on O's private dataset",
};

const DATASET_LABELS: Record<DatasetKind, string> = {
  'owner-public': "owner's public dataset",
  'owner-private': "owner's private dataset",
  'org-public': "organization's public dataset",
  'org-private': "organization's private dataset",
};

/**
 * A new account holding the actor's role, for cells that change or end the account itself (so the
 * shared actors stay as they are): editors and admins get an organization of their own.
 */
async function freshAccount(actor: Actor): Promise<Record<string, string>> {
  if (actor === 'anonymous') return {};
  const user = await newUser({ sysadmin: actor === 'sysadmin' });
  if (actor === 'admin') await createOrganization(user);
  if (actor === 'editor') await addMember(await freshOrganization(), user, 'editor');
  return user.headers;
}

/** An account registered just now, not confirmed yet. */
async function registered(): Promise<string> {
  return (await register()).email;
}

/** The token of the newest link of `kind` mailed to `email`. */
async function mailedToken(email: string, subject: string, kind: 'confirm' | 'reset'): Promise<string> {
  return linkIn(await mailTo(email, { subject }), kind)
    .split('/')
    .pop()!;
}

// ---------------------------------------------------------------------------------------------------
// Who calls

function headersOf(actor: Actor): Record<string, string> {
  return actor === 'anonymous' ? {} : fx.users[actor].headers;
}

/** On an organization itself, `owner` is its creator, i.e. its admin (an organization has no other owner). */
function onOrg(actor: Actor): Actor {
  return actor === 'owner' ? 'admin' : actor;
}

function orgHeadersOf(actor: Actor): Record<string, string> {
  return headersOf(onOrg(actor));
}

const as =
  (extra: Omit<Call, 'headers'> = {}) =>
  async (actor: Actor): Promise<Call> => ({ headers: headersOf(actor), ...extra });

/** `as`, with fixtures read when the cell runs (after `beforeAll`). */
const as2 =
  (extra: () => Omit<Call, 'headers'>) =>
  async (actor: Actor): Promise<Call> => ({ headers: headersOf(actor), ...extra() });

const asOnOrg =
  (extra: () => Omit<Call, 'headers'>) =>
  async (actor: Actor): Promise<Call> => ({ headers: orgHeadersOf(actor), ...extra() });

// ---------------------------------------------------------------------------------------------------
// Expected statuses

const everyone = (status: number): Record<Actor, number> => ({
  anonymous: status,
  other: status,
  editor: status,
  admin: status,
  owner: status,
  sysadmin: status,
});

/** An authenticated route every signed-in caller may use. */
const signedIn = (status: number): Record<Actor, number> => ({ ...everyone(status), anonymous: 401 });

/** A change to the owner's dataset: its owner and sysadmins; 404 instead of 403 when it is private. */
const ownerDatasetChange = (ok: number, hidden: boolean): Record<Actor, number> => ({
  anonymous: 401,
  other: hidden ? 404 : 403,
  editor: hidden ? 404 : 403,
  admin: hidden ? 404 : 403,
  owner: ok,
  sysadmin: ok,
});

/** A change to O's dataset: O's editors and admins and sysadmins; 404 instead of 403 when private. */
const orgDatasetChange = (ok: number, hidden: boolean): Record<Actor, number> => ({
  anonymous: 401,
  other: hidden ? 404 : 403,
  editor: ok,
  admin: ok,
  owner: hidden ? 404 : 403,
  sysadmin: ok,
});

/** Organization admins and sysadmins; `owner` as given (see the header comment). */
const orgAdmins = (ok: number, owner: number): Record<Actor, number> => ({
  anonymous: 401,
  other: 403,
  editor: 403,
  admin: ok,
  owner,
  sysadmin: ok,
});

/** A deleted organization: 410 to non-members, readable by its members and sysadmins. */
const deletedOrgRead: Record<Actor, number> = {
  anonymous: 410,
  other: 410,
  editor: 200,
  admin: 200,
  owner: 200,
  sysadmin: 200,
};

/** Cases for a change to each kind of dataset, each cell on a dataset made for it. */
function datasetChangeCases(ok: number, body?: unknown): Case[] {
  const kinds: [DatasetKind, Record<Actor, number>][] = [
    ['owner-public', ownerDatasetChange(ok, false)],
    ['owner-private', ownerDatasetChange(ok, true)],
    ['org-public', orgDatasetChange(ok, false)],
    ['org-private', orgDatasetChange(ok, true)],
  ];
  return kinds.map(([kind, expected]) => ({
    on: DATASET_LABELS[kind],
    call: async (actor) => ({
      headers: headersOf(actor),
      params: { dataset: await createDataset(kind) },
      ...(body === undefined ? {} : { body }),
    }),
    expect: expected,
  }));
}

/**
 * Site curation on a dataset (featuring): sysadmins only; 403 to whoever sees the dataset, 404 to
 * whoever may not see a private one.
 */
function datasetCurationCases(
  ok: number,
  extra: (dataset: string) => Promise<{ params?: Record<string, string>; body?: unknown }> = async () => ({}),
): Case[] {
  const sees: Record<DatasetKind, Actor[]> = {
    'owner-public': ['other', 'editor', 'admin', 'owner'],
    'owner-private': ['owner'],
    'org-public': ['other', 'editor', 'admin', 'owner'],
    'org-private': ['editor', 'admin'],
  };
  return (Object.keys(sees) as DatasetKind[]).map((kind) => ({
    on: DATASET_LABELS[kind],
    call: async (actor) => {
      const dataset = await createDataset(kind);
      const { params, body } = await extra(dataset);
      return {
        headers: headersOf(actor),
        params: { dataset, ...params },
        ...(body === undefined ? {} : { body }),
      };
    },
    expect: {
      anonymous: 401,
      other: sees[kind].includes('other') ? 403 : 404,
      editor: sees[kind].includes('editor') ? 403 : 404,
      admin: sees[kind].includes('admin') ? 403 : 404,
      owner: sees[kind].includes('owner') ? 403 : 404,
      sysadmin: ok,
    },
  }));
}

/** Asking to give a dataset away: its owner, or an admin of its organization (not its editors). */
function transferRequestCases(): Case[] {
  const kinds: [DatasetKind, Record<Actor, number>][] = [
    ['owner-public', { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 201, sysadmin: 201 }],
    // A private dataset named in a body is as unknown as a dataset that does not exist: 400.
    ['owner-private', { anonymous: 401, other: 400, editor: 400, admin: 400, owner: 201, sysadmin: 201 }],
    ['org-public', { anonymous: 401, other: 403, editor: 403, admin: 201, owner: 403, sysadmin: 201 }],
    ['org-private', { anonymous: 401, other: 400, editor: 403, admin: 201, owner: 400, sysadmin: 201 }],
  ];
  return kinds.map(([kind, expected]) => ({
    on: `${DATASET_LABELS[kind]} to ${kind.startsWith('org') ? 'owner' : 'O'}`,
    call: async (actor) => ({
      headers: headersOf(actor),
      body: {
        subject: { class: 'Dataset', id: await createDataset(kind) },
        recipient: recipientFor(kind),
        comment: 'À vous.',
      },
    }),
    expect: expected,
  }));
}

/** Changing a community resource: whoever owns it (not the dataset's owner); 404 on a hidden dataset. */
function communityChangeCases(ok: number, body?: unknown): Case[] {
  const kinds: [CommunityResourceKind, Record<Actor, number>][] = [
    ['owner-on-org-public', { anonymous: 401, other: 403, editor: 403, admin: 403, owner: ok, sysadmin: ok }],
    ['org-on-owner-public', { anonymous: 401, other: 403, editor: ok, admin: ok, owner: 403, sysadmin: ok }],
    [
      'owner-on-owner-private',
      { anonymous: 401, other: 404, editor: 404, admin: 404, owner: ok, sysadmin: ok },
    ],
    ['org-on-org-private', { anonymous: 401, other: 404, editor: ok, admin: ok, owner: 404, sysadmin: ok }],
  ];
  return kinds.map(([kind, expected]) => ({
    on: COMMUNITY_LABELS[kind],
    call: async (actor) => ({
      headers: headersOf(actor),
      params: { crid: await postCommunityResource(kind) },
      ...(body === undefined ? {} : { body }),
    }),
    expect: expected,
  }));
}

/** A link to attach as a community resource. */
const communityLink = (dataset: string, organization?: string) => ({
  dataset,
  title: uniqueTitle('Carte'),
  url: 'https://example.org/carte.geojson',
  ...(organization ? { organization } : {}),
});

// Resources and uploads: every route that changes them asks the dataset's edit rule.

/** Who edits a dataset of this kind among the shared actors: its owner, or O's editor. */
function editorOf(kind: DatasetKind): TestUser {
  return kind.startsWith('org') ? fx.users.editor : fx.users.owner;
}

/** A remote resource (a link) added to `dataset` by its editor; returns its id. */
async function addLink(kind: DatasetKind, dataset: string): Promise<string> {
  const response = await api.post(
    `/api/1/datasets/${dataset}/resources/`,
    { title: 'Documentation', url: 'https://example.org/doc.pdf' },
    editorOf(kind).headers,
  );
  return expectStatus(response, 201, 'adding a link').json.id as string;
}

const FILE = { filename: 'matrice.csv', size: 16, mime: 'text/csv' };
const FILE_BYTES = new TextEncoder().encode('commune,valeur\n1');

/** A declared upload (presigned POST, or multipart) of a new hosted file: its pending resource. */
async function declareUpload(
  kind: DatasetKind,
  dataset: string,
  multipart: boolean,
): Promise<{ rid: string; upload: string }> {
  const response = await api.post(
    `/api/1/datasets/${dataset}/upload/${multipart ? 'multipart/' : ''}`,
    FILE,
    editorOf(kind).headers,
  );
  const { json } = expectStatus(response, 201, 'declaring an upload');
  return { rid: json.resource.id as string, upload: json.upload.id as string };
}

/** What the uploader does before completing a multipart upload: PUT every part to S3. */
async function sendParts(kind: DatasetKind, dataset: string, rid: string, upload: string) {
  const parts = await api.post(
    `/api/1/datasets/${dataset}/resources/${rid}/upload/multipart/${upload}/parts/`,
    { part_numbers: [1] },
    editorOf(kind).headers,
  );
  const url = expectStatus(parts, 200, 'asking for part URLs').json.parts[0].url as string;
  const sent = await fetch(url, { method: 'PUT', body: FILE_BYTES });
  if (sent.status !== 200) throw new Error(`setup: S3 answered ${sent.status} to a part`);
}

/**
 * A resource route on a new dataset of the owner (public) and of O (private): the dataset's edit rule,
 * 404 instead of 403 on the private one. `setup` makes what the route needs in that dataset.
 */
function resourceCases(
  ok: number,
  setup: (kind: DatasetKind, dataset: string) => Promise<Omit<Call, 'headers'>>,
): Case[] {
  const kinds: [DatasetKind, Record<Actor, number>][] = [
    ['owner-public', ownerDatasetChange(ok, false)],
    ['org-private', orgDatasetChange(ok, true)],
  ];
  return kinds.map(([kind, expected]) => ({
    on: DATASET_LABELS[kind],
    call: async (actor) => ({ headers: headersOf(actor), ...(await setup(kind, await createDataset(kind))) }),
    expect: expected,
  }));
}

/** A multipart upload pending on a new resource of the dataset. */
async function multipartParams(kind: DatasetKind, dataset: string) {
  const { rid, upload } = await declareUpload(kind, dataset, true);
  return { dataset, rid, upload };
}

// Harvest sources: `owner` registers user-owned ones, `admin` registers O's. Managing one (change,
// delete, run) is its owner's or O's admins'; previewing also O's editors'; validating and the global
// pause are sysadmins'. The catalogue lists one record without resources (skipped), so runs write
// nothing; no cell ever waits for a run: an accepted run goes on in the background.
let harvestCatalogueUrl: Promise<string> | undefined;
function harvestCatalogue(): Promise<string> {
  harvestCatalogueUrl ??= serveCkanCatalogue([
    {
      id: 'matrice-1',
      name: 'matrice-1',
      title: 'Matrice',
      notes: '',
      license_id: 'cc-by-sa',
      tags: [],
      resources: [],
    },
  ]).then((catalogue) => catalogue.url);
  return harvestCatalogueUrl;
}

/** A registration's body: a new source of the local catalogue, for `organization` or the caller. */
async function sourceBody(organization: string | null) {
  return {
    name: uniqueTitle('Source'),
    url: await harvestCatalogue(),
    backend: 'ckan',
    ...(organization ? { organization } : {}),
  };
}

/**
 * A source of `owner` or of O. `accepted`: a sysadmin accepted it while it was inactive (so no first
 * run started), then its owner activated it: it may run at once, nothing of it is running.
 */
async function newHarvestSource(kind: 'owner' | 'org', accepted = false): Promise<string> {
  const by = kind === 'owner' ? fx.users.owner : fx.users.admin;
  const response = await api.post(
    '/api/1/harvest/sources/',
    {
      name: uniqueTitle('Source'),
      url: await harvestCatalogue(),
      backend: 'ckan',
      ...(accepted ? { active: false } : {}),
      ...(kind === 'org' ? { organization: fx.org } : {}),
    },
    by.headers,
  );
  const id = expectStatus(response, 201, 'registering a harvest source').json.id as string;
  if (accepted) {
    const validation = await api.post(
      `/api/1/harvest/source/${id}/validate/`,
      { state: 'accepted' },
      fx.users.sysadmin.headers,
    );
    expectStatus(validation, 200, 'accepting a harvest source');
    expectStatus(
      await api.put(`/api/1/harvest/source/${id}/`, { active: true }, by.headers),
      200,
      'activating a harvest source',
    );
  }
  return id;
}

let harvestedJob: Promise<{ source: string; job: string }> | undefined;
/** An accepted source of `owner` and the job its acceptance started (read while it may still run). */
function harvestJobFixture() {
  harvestedJob ??= (async () => {
    const response = await api.post(
      '/api/1/harvest/sources/',
      { name: uniqueTitle('Source'), url: await harvestCatalogue(), backend: 'ckan' },
      fx.users.owner.headers,
    );
    const source = expectStatus(response, 201, 'registering a harvest source').json.id as string;
    const validation = await api.post(
      `/api/1/harvest/source/${source}/validate/`,
      { state: 'accepted' },
      fx.users.sysadmin.headers,
    );
    const accepted = expectStatus(validation, 200, 'accepting a harvest source').json;
    const job = (accepted.health.running_job ?? accepted.last_job?.id) as string;
    return { source, job };
  })();
  return harvestedJob;
}

const sourceManagers = {
  owner: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 0, sysadmin: 0 },
  org: { anonymous: 401, other: 403, editor: 403, admin: 0, owner: 403, sysadmin: 0 },
} as const;

function managers(kind: 'owner' | 'org', ok: number): Record<Actor, number> {
  const table: Record<Actor, number> = { ...sourceManagers[kind] };
  for (const actor of ACTORS) if (table[actor] === 0) table[actor] = ok;
  return table;
}

function harvestSourceCases(
  ok: number,
  build: (source: string) => Omit<Call, 'headers'>,
  accepted = false,
): Case[] {
  return (['owner', 'org'] as const).map((kind) => ({
    on: kind === 'owner' ? 'a source of owner' : 'a source of O',
    call: async (actor: Actor) => ({
      headers: headersOf(actor),
      ...build(await newHarvestSource(kind, accepted)),
    }),
    expect: managers(kind, ok),
  }));
}

const LIST_ALL = { page_size: '100' };

// Reuses: owned like datasets (the owner, or O's members), public ones link the owner's public dataset.

type ReuseKind = DatasetKind;

/** A reuse body (its URL unique), linking a dataset everyone sees unless `datasets` says otherwise. */
function reuseBody(fields: Record<string, unknown> = {}) {
  const title = uniqueTitle('Réutilisation');
  return {
    title,
    description: 'Described.',
    type: 'application',
    topic: 'others',
    url: `https://apps.example.org/${encodeURIComponent(title)}`,
    datasets: [fx.datasets.ownerPublic],
    ...fields,
  };
}

/** A reuse owned by `owner`, or by O (published by its editor). */
async function createReuse(kind: ReuseKind): Promise<string> {
  const forOrg = kind.startsWith('org');
  const response = await api.post(
    '/api/1/reuses/',
    reuseBody({ private: kind.endsWith('private'), ...(forOrg ? { organization: fx.org } : {}) }),
    (forOrg ? fx.users.editor : fx.users.owner).headers,
  );
  return expectStatus(response, 201, `creating a ${kind} reuse`).json.id as string;
}

/** The follower routes of a dataset or a reuse: on a public one and on the owner's private one. */
function followCases(
  kind: 'dataset' | 'reuse',
  ok: number,
  before?: (path: string, actor: Actor) => Promise<void>,
): Case[] {
  const kinds: ['owner-public' | 'owner-private', Record<Actor, number>][] = [
    ['owner-public', ok === 200 && !before ? everyone(200) : signedIn(ok)],
    [
      'owner-private',
      {
        anonymous: ok === 200 && !before ? 404 : 401,
        other: 404,
        editor: 404,
        admin: 404,
        owner: ok,
        sysadmin: ok,
      },
    ],
  ];
  return kinds.map(([which, expected]) => ({
    on: `${DATASET_LABELS[which].replace('dataset', kind)}`,
    call: async (actor) => {
      const id = kind === 'dataset' ? await createDataset(which) : await createReuse(which);
      await before?.(`/api/1/${kind}s/${id}/followers/`, actor);
      return { headers: headersOf(actor), params: { [kind]: id } };
    },
    expect: expected,
  }));
}

/** The caller follows first (when they may), so that unfollowing has something to end. */
async function followFirst(path: string, actor: Actor) {
  if (actor !== 'anonymous') await api.post(path, undefined, headersOf(actor));
}

/** Cases for a change to each kind of reuse, each cell on a reuse made for it: as for datasets. */
function reuseChangeCases(ok: number, body?: () => unknown): Case[] {
  const kinds: [ReuseKind, Record<Actor, number>][] = [
    ['owner-public', ownerDatasetChange(ok, false)],
    ['owner-private', ownerDatasetChange(ok, true)],
    ['org-public', orgDatasetChange(ok, false)],
    ['org-private', orgDatasetChange(ok, true)],
  ];
  return kinds.map(([kind, expected]) => ({
    on: DATASET_LABELS[kind].replace('dataset', 'reuse'),
    call: async (actor) => ({
      headers: headersOf(actor),
      params: { reuse: await createReuse(kind) },
      ...(body === undefined ? {} : { body: body() }),
    }),
    expect: expected,
  }));
}

// ---------------------------------------------------------------------------------------------------
// The matrix: one entry per operationId of the route table

/** A read of a dataset's own data: public ones by everyone, private ones by who may edit them. */
function datasetReadCases(): Case[] {
  return [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPublic } }),
      expect: everyone(200),
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
  ];
}

/** The same cases for a catalogue route and each of its extensions (`.jsonld`, `.ttl`…). */
function rdfFamily<const Name extends string>(name: Name, cases: Case[]) {
  const family = ['', 'Jsonld', 'Ttl', 'Rdf', 'Xml', 'Nt'] as const;
  return Object.fromEntries(family.map((suffix) => [`${name}${suffix}`, cases])) as Record<
    `${Name}${(typeof family)[number]}`,
    Case[]
  >;
}

// ---------------------------------------------------------------------------------------------------
// Discussions: opened by `owner` on O's public dataset (so `owner` is their author, and O's members and
// sysadmins speak for their subject), made when a cell needs them.

/** A discussion `owner` opens on O's public dataset; `held` uses a banned word, so the spam rule holds it. */
async function openDiscussion(held = false): Promise<string> {
  const response = await api.post(
    '/api/1/discussions/',
    {
      title: held ? 'Casino en ligne' : uniqueTitle('Question'),
      comment: 'La colonne est vide.',
      subject: { class: 'Dataset', id: fx.datasets.orgPublic },
    },
    fx.users.owner.headers,
  );
  return expectStatus(response, 201, 'opening a discussion').json.id as string;
}

/** A published discussion of `owner` with a second comment of theirs (index 1), for comment cells. */
async function discussionWithComment(comment = 'Précision.'): Promise<{ id: string; comment: string }> {
  const id = await openDiscussion();
  const response = await api.post(`/api/1/discussions/${id}/`, { comment }, fx.users.owner.headers);
  const comments = expectStatus(response, 200, 'commenting').json.discussion as { id: string }[];
  return { id, comment: comments.at(-1)?.id ?? '' };
}

let sharedDiscussions: Promise<{ published: string; held: string; report: string }> | undefined;
/** One published and one held discussion, and a report, read by the cells that change nothing. */
function discussions() {
  sharedDiscussions ??= (async () => {
    const [published, held] = await Promise.all([openDiscussion(), openDiscussion(true)]);
    return { published, held, report: await fileReport(published) };
  })();
  return sharedDiscussions;
}

async function fileReport(discussion: string): Promise<string> {
  const response = await api.post(
    '/api/1/reports/',
    { subject: { class: 'Discussion', id: discussion }, reason: 'spam' },
    fx.users.other.headers,
  );
  return expectStatus(response, 201, 'reporting a discussion').json.id as string;
}

/** Sysadmins only, behind authentication. */
const sysadminOnly = (ok: number): Record<Actor, number> => ({ ...signedIn(403), sysadmin: ok });
/** The author of the discussion (`owner`) and sysadmins. */
const authorOnly = (ok: number): Record<Actor, number> => ({ ...signedIn(403), owner: ok, sysadmin: ok });

const matrix: Record<OperationId, Case[]> = {
  // Accounts: anonymous-only routes, whoever calls.
  register: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        body: { email: uniqueEmail('matrix'), password: PASSWORD, first_name: 'A', last_name: 'B' },
      }),
      expect: everyone(201),
    },
  ],
  confirmEmail: [
    {
      call: async (actor) => {
        const email = await registered();
        return {
          headers: headersOf(actor),
          params: { token: await mailedToken(email, 'Confirmez', 'confirm') },
        };
      },
      expect: everyone(200),
    },
  ],
  resendConfirmation: [
    {
      call: async (actor) => ({ headers: headersOf(actor), body: { email: await registered() } }),
      expect: everyone(200),
    },
  ],
  login: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        body: { email: await registered(), password: PASSWORD },
      }),
      expect: everyone(200),
    },
  ],
  requestPasswordReset: [
    {
      call: async (actor) => ({ headers: headersOf(actor), body: { email: await registered() } }),
      expect: everyone(200),
    },
  ],
  resetPassword: [
    {
      call: async (actor) => {
        const email = await registered();
        expectStatus(await api.post('/reset/', { email }), 200, 'asking for a reset link');
        return {
          headers: headersOf(actor),
          params: { token: await mailedToken(email, 'Réinitialisation', 'reset') },
          body: { password: 'Brand-New-Pass-2' },
        };
      },
      expect: everyone(200),
    },
  ],
  // Public: closes the caller's browser session (signed-in actors send a session of their own).
  logout: [
    {
      call: async (actor): Promise<Call> => {
        if (actor === 'anonymous') return { headers: {} };
        const session = await userLogin(fx.users[actor].email);
        return { headers: { cookie: session.cookie, 'x-csrf-token': session.csrf } };
      },
      expect: everyone(200),
    },
  ],
  getCsrfToken: [{ call: as(), expect: signedIn(200) }],

  // The account holder's own account: every signed-in caller is the owner of their `/me`.
  changePassword: [
    {
      call: async (actor) => ({
        headers: await freshAccount(actor),
        body: { password: PASSWORD, new_password: 'Changed-Pass-4' },
      }),
      expect: signedIn(200),
    },
  ],
  getMe: [{ call: as(), expect: signedIn(200) }],
  updateMe: [
    {
      call: async (actor) => ({ headers: await freshAccount(actor), body: { about: 'Producteur.' } }),
      expect: signedIn(200),
    },
  ],
  deleteMe: [{ call: async (actor) => ({ headers: await freshAccount(actor) }), expect: signedIn(204) }],
  listApiTokens: [{ call: as(), expect: signedIn(200) }],
  createApiToken: [{ call: as({ body: { name: 'matrix' } }), expect: signedIn(201) }],
  // A token of the owner: under anyone else's `/me/` it does not exist (404), sysadmins included.
  revokeApiToken: [
    {
      on: "owner's token",
      call: async (actor) => {
        const token = await api.post('/api/1/me/api_tokens/', { name: 'to revoke' }, fx.users.owner.headers);
        return {
          headers: headersOf(actor),
          params: { token: expectStatus(token, 201, 'creating a token').json.id as string },
        };
      },
      expect: { anonymous: 401, other: 404, editor: 404, admin: 404, owner: 204, sysadmin: 404 },
    },
  ],
  listUsers: [
    {
      call: async (actor) => ({ headers: headersOf(actor), query: { q: 'owner' } }),
      expect: sysadminOnly(200),
    },
  ],
  suggestUsers: [
    {
      call: async (actor) => ({ headers: headersOf(actor), query: { q: 'own' } }),
      expect: signedIn(200),
    },
  ],
  getUser: [
    {
      on: "owner's profile",
      call: async (actor) => ({ headers: headersOf(actor), params: { user: fx.users.owner.id } }),
      expect: everyone(200),
    },
  ],

  // Datasets
  listDatasets: [{ call: as(), expect: everyone(200) }],
  searchDatasetsV2: [{ call: as(), expect: everyone(200) }],
  listDatasetsV2: [{ call: as(), expect: everyone(200) }],
  suggestDatasets: [{ call: as(), expect: everyone(200) }],
  suggestFormats: [{ call: as(), expect: everyone(200) }],
  suggestTags: [{ call: as(), expect: everyone(200) }],
  createDataset: [
    {
      on: 'for oneself',
      call: async (actor) => ({
        headers: headersOf(actor),
        body: { title: uniqueTitle('Matrice'), description: 'Described.' },
      }),
      expect: signedIn(201),
    },
    {
      // Publishing for an organization one does not belong to is a 400, as in udata.
      on: 'for organization O',
      call: async (actor) => ({
        headers: headersOf(actor),
        body: { title: uniqueTitle('Matrice'), description: 'Described.', organization: fx.org },
      }),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
  ],
  listOrganizationDatasets: [
    {
      on: 'organization O',
      call: asOnOrg(() => ({ params: { org: fx.org }, query: LIST_ALL })),
      expect: everyone(200),
      lists: { item: () => fx.datasets.orgPrivate, to: ['editor', 'admin', 'owner', 'sysadmin'] },
    },
    {
      on: 'a deleted organization',
      call: asOnOrg(() => ({ params: { org: fx.deletedOrg } })),
      expect: deletedOrgRead,
    },
  ],
  listMyDatasets: [
    {
      call: as({ query: LIST_ALL }),
      expect: signedIn(200),
      lists: { item: () => fx.datasets.ownerPrivate, to: ['owner'] },
    },
  ],
  listUserDatasets: [
    {
      on: "owner's datasets",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { user: fx.users.owner.id },
        query: LIST_ALL,
      }),
      expect: everyone(200),
      lists: { item: () => fx.datasets.ownerPrivate, to: ['owner', 'sysadmin'] },
    },
  ],
  listLicenses: [{ call: as(), expect: everyone(200) }],
  listFrequencies: [{ call: as(), expect: everyone(200) }],
  listGranularities: [{ call: as(), expect: everyone(200) }],
  listSpatialGranularities: [{ call: as(), expect: everyone(200) }],
  listResourceTypes: [{ call: as(), expect: everyone(200) }],
  getDataset: [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPublic } }),
      expect: everyone(200),
    },
    {
      on: DATASET_LABELS['owner-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
  ],
  updateDataset: datasetChangeCases(200, { description: 'Mis à jour.' }),
  deleteDataset: datasetChangeCases(204),
  featureDataset: datasetCurationCases(200),
  // API v2: the same rules as their v1 counterparts.
  getDatasetV2: [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPublic } }),
      expect: everyone(200),
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
  ],
  listDatasetResourcesV2: [
    {
      on: DATASET_LABELS['owner-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
  ],
  listDatasetSchemasV2: [
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
  ],
  getResourceV2: [
    {
      on: "a link of owner's public dataset",
      call: as2(() => ({ params: { rid: fx.resources.ownerPublicLink } })),
      expect: everyone(200),
    },
    {
      on: "a link of O's private dataset",
      call: as2(() => ({ params: { rid: fx.resources.orgPrivateLink } })),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
    {
      on: "a pending upload of owner's public dataset",
      call: as2(() => ({ params: { rid: fx.resources.ownerPublicPending } })),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
    {
      on: COMMUNITY_LABELS['owner-on-owner-private'],
      call: as2(() => ({ params: { rid: fx.communityResources['owner-on-owner-private'] } })),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
  ],
  // API v2: what may see the dataset may read its extras.
  getDatasetExtras: [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPublic } }),
      expect: everyone(200),
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
    {
      on: DATASET_LABELS['owner-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
  ],
  updateDatasetExtras: datasetChangeCases(200, { 'geop:source': 'ign' }),
  deleteDatasetExtras: datasetChangeCases(204, ['geop:source']),
  unfeatureDataset: datasetCurationCases(200),
  listDatasetBadges: [{ call: as(), expect: everyone(200) }],
  listSchemas: [{ call: as(), expect: everyone(200) }],
  addDatasetBadge: datasetCurationCases(201, async () => ({ body: { kind: 'hvd' } })),
  removeDatasetBadge: datasetCurationCases(204, async (dataset) => {
    const given = await api.post(
      `/api/1/datasets/${dataset}/badges/`,
      { kind: 'inspire' },
      fx.users.sysadmin.headers,
    );
    expectStatus(given, 201, 'giving a badge');
    return { params: { kind: 'inspire' } };
  }),

  // API description: never looks at credentials.
  getOpenApi: [{ call: as(), expect: everyone(200) }],
  getApiDocsPage: [{ call: as(), expect: everyone(200) }],

  // Organizations
  listOrganizations: [{ call: as(), expect: everyone(200) }],
  searchOrganizationsV2: [{ call: as(), expect: everyone(200) }],
  suggestOrganizations: [{ call: as(), expect: everyone(200) }],
  createOrganization: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        body: { name: uniqueTitle('Organisation'), description: 'Described.' },
      }),
      expect: signedIn(201),
    },
  ],
  listOrganizationRoles: [{ call: as(), expect: everyone(200) }],
  // Badges are the site's to give: sysadmins only, on any organization.
  listOrganizationBadges: [{ call: as(), expect: everyone(200) }],
  addOrganizationBadge: [
    {
      call: async (actor) => ({
        headers: orgHeadersOf(actor),
        params: { org: await freshOrganization() },
        body: { kind: 'certified' },
      }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 403, sysadmin: 201 },
    },
  ],
  removeOrganizationBadge: [
    {
      call: async (actor) => {
        const org = await freshOrganization();
        const given = await api.post(
          `/api/1/organizations/${org}/badges/`,
          { kind: 'company' },
          fx.users.sysadmin.headers,
        );
        expectStatus(given, 201, 'giving a badge');
        return { headers: orgHeadersOf(actor), params: { org, kind: 'company' } };
      },
      expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 403, sysadmin: 204 },
    },
  ],
  getOrganization: [
    { on: 'organization O', call: asOnOrg(() => ({ params: { org: fx.org } })), expect: everyone(200) },
    {
      on: 'a deleted organization',
      call: asOnOrg(() => ({ params: { org: fx.deletedOrg } })),
      expect: deletedOrgRead,
    },
  ],
  updateOrganization: [
    {
      call: async (actor) => ({
        headers: orgHeadersOf(actor),
        params: { org: await freshOrganization() },
        body: { description: 'Mise à jour.' },
      }),
      expect: orgAdmins(200, 200),
    },
  ],
  // API v2 extras: read as the organization is read, changed as it is edited (admins).
  getOrganizationExtras: [
    { on: 'organization O', call: asOnOrg(() => ({ params: { org: fx.org } })), expect: everyone(200) },
    {
      on: 'a deleted organization',
      call: asOnOrg(() => ({ params: { org: fx.deletedOrg } })),
      expect: deletedOrgRead,
    },
  ],
  updateOrganizationExtras: [
    {
      call: async (actor) => ({
        headers: orgHeadersOf(actor),
        params: { org: await freshOrganization() },
        body: { 'geop:source': 'ign' },
      }),
      expect: orgAdmins(200, 200),
    },
  ],
  deleteOrganizationExtras: [
    {
      call: async (actor) => ({
        headers: orgHeadersOf(actor),
        params: { org: await freshOrganization() },
        body: ['geop:source'],
      }),
      expect: orgAdmins(204, 204),
    },
  ],
  deleteOrganization: [
    {
      call: async (actor) => ({ headers: orgHeadersOf(actor), params: { org: await freshOrganization() } }),
      expect: orgAdmins(204, 204),
    },
  ],
  // Anyone may ask to join; members are already in (409, as udata).
  requestMembership: [
    {
      call: async (actor) => ({
        headers: orgHeadersOf(actor),
        params: { org: await freshOrganization() },
        body: { comment: 'Je travaille ici.' },
      }),
      expect: { anonymous: 401, other: 201, editor: 409, admin: 409, owner: 409, sysadmin: 201 },
    },
  ],
  // Members (editors too, as the seed guide lets them) see the requests; anyone sees their own.
  listMembershipRequests: [
    {
      on: 'all requests of O',
      call: asOnOrg(() => ({ params: { org: fx.org } })),
      expect: { anonymous: 401, other: 403, editor: 200, admin: 200, owner: 200, sysadmin: 200 },
    },
    {
      on: "the caller's own requests",
      call: async (actor) => {
        const caller = onOrg(actor);
        // Anonymous callers name some user: the 401 comes first anyway.
        const user = fx.users[caller === 'anonymous' ? 'other' : caller];
        return { headers: headersOf(caller), params: { org: fx.org }, query: { user: user.id } };
      },
      expect: signedIn(200),
    },
  ],
  // The request belongs to `owner`, who asked to join a new organization.
  acceptMembership: [
    {
      on: "owner's request",
      call: async (actor) => {
        const org = await freshOrganization();
        return { headers: headersOf(actor), params: { org, id: await askToJoin(org, fx.users.owner) } };
      },
      expect: orgAdmins(200, 403),
    },
  ],
  refuseMembership: [
    {
      on: "owner's request",
      call: async (actor) => {
        const org = await freshOrganization();
        return {
          headers: headersOf(actor),
          params: { org, id: await askToJoin(org, fx.users.owner) },
          body: { comment: 'Pas pour le moment.' },
        };
      },
      expect: orgAdmins(200, 403),
    },
  ],
  cancelMembership: [
    {
      on: "owner's request",
      call: async (actor) => {
        const org = await freshOrganization();
        return { headers: headersOf(actor), params: { org, id: await askToJoin(org, fx.users.owner) } };
      },
      expect: orgAdmins(200, 200),
    },
  ],
  // The membership is about `owner`: being added, promoted, removed.
  addOrganizationMember: [
    {
      on: 'adding owner',
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { org: await freshOrganization() },
        body: { user: fx.users.owner.id, role: 'editor' },
      }),
      expect: orgAdmins(201, 403),
    },
  ],
  updateOrganizationMember: [
    {
      on: 'making owner an admin',
      call: async (actor) => {
        const org = await freshOrganization();
        await addMember(org, fx.users.owner, 'editor');
        return {
          headers: headersOf(actor),
          params: { org, user: fx.users.owner.id },
          body: { role: 'admin' },
        };
      },
      expect: orgAdmins(200, 403),
    },
  ],
  removeOrganizationMember: [
    {
      on: 'removing owner',
      call: async (actor) => {
        const org = await freshOrganization();
        await addMember(org, fx.users.owner, 'editor');
        return { headers: headersOf(actor), params: { org, user: fx.users.owner.id } };
      },
      expect: orgAdmins(204, 204),
    },
  ],

  // Community resources: anyone signed in posts on a dataset they can see, for themself or for an
  // organization of theirs; only their owner changes them.
  listCommunityResources: [
    {
      on: "owner's",
      call: async (actor) => ({
        headers: headersOf(actor),
        query: { owner: fx.users.owner.id, ...LIST_ALL },
      }),
      expect: everyone(200),
      lists: { item: () => fx.communityResources['owner-on-owner-private'], to: ['owner', 'sysadmin'] },
    },
    {
      on: "of owner's private dataset",
      call: async (actor) => ({ headers: headersOf(actor), query: { dataset: fx.datasets.ownerPrivate } }),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
  ],
  createCommunityResource: [
    {
      on: "on owner's public dataset",
      call: async (actor) => ({ headers: headersOf(actor), body: communityLink(fx.datasets.ownerPublic) }),
      expect: signedIn(201),
    },
    {
      // A private dataset named in a body is as unknown as a dataset that does not exist: 400.
      on: "on O's private dataset",
      call: async (actor) => ({ headers: headersOf(actor), body: communityLink(fx.datasets.orgPrivate) }),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
    {
      // For an organization one does not belong to: 400, as for datasets.
      on: "for O, on owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        body: communityLink(fx.datasets.ownerPublic, fx.org),
      }),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
  ],
  // A file as a community resource: as a link, but the dataset is in the path (a hidden one is 404).
  uploadCommunityFile: [
    {
      on: "on owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.ownerPublic },
        body: FILE,
      }),
      expect: signedIn(201),
    },
    {
      on: "on O's private dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.orgPrivate },
        body: FILE,
      }),
      expect: { anonymous: 401, other: 404, editor: 201, admin: 201, owner: 404, sysadmin: 201 },
    },
    {
      on: "for O, on owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.ownerPublic },
        body: { ...FILE, organization: fx.org },
      }),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
  ],
  getCommunityResource: [
    {
      on: COMMUNITY_LABELS['owner-on-org-public'],
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { crid: fx.communityResources['owner-on-org-public'] },
      }),
      expect: everyone(200),
    },
    {
      on: COMMUNITY_LABELS['owner-on-owner-private'],
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { crid: fx.communityResources['owner-on-owner-private'] },
      }),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
    {
      on: COMMUNITY_LABELS['org-on-org-private'],
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { crid: fx.communityResources['org-on-org-private'] },
      }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
  ],
  updateCommunityResource: communityChangeCases(200, { title: 'Carte mise à jour' }),
  deleteCommunityResource: communityChangeCases(204),
  // Tried on links: who may replace the file gets past the permission check to the 400 saying a link
  // has no file (the replacement itself is in test/udata-client-compat.test.ts).
  replaceCommunityFile: communityChangeCases(400, FILE),

  // Resources and uploads. Replacing a file is tried on a resource whose first upload is still pending:
  // it is a hosted file all the same, and the permission is checked before anything else.
  createResource: resourceCases(201, async (_, dataset) => ({
    params: { dataset },
    body: { title: 'Lien', url: 'https://example.org/lien.csv' },
  })),
  reorderResources: resourceCases(200, async (kind, dataset) => ({
    params: { dataset },
    body: [await addLink(kind, dataset)],
  })),
  getResource: [
    {
      on: "a link of owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.ownerPublic, rid: fx.resources.ownerPublicLink },
      }),
      expect: everyone(200),
    },
    {
      on: "a link of O's private dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.orgPrivate, rid: fx.resources.orgPrivateLink },
      }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
    {
      // A pending upload is its dataset's editors' business only.
      on: "a pending upload of owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.ownerPublic, rid: fx.resources.ownerPublicPending },
      }),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
  ],
  updateResource: resourceCases(200, async (kind, dataset) => ({
    params: { dataset, rid: await addLink(kind, dataset) },
    body: { title: 'Renommée' },
  })),
  deleteResource: resourceCases(204, async (kind, dataset) => ({
    params: { dataset, rid: await addLink(kind, dataset) },
  })),
  // Asking for a link's availability check: whoever may edit the dataset.
  requestResourceCheck: resourceCases(202, async (kind, dataset) => ({
    params: { dataset, rid: await addLink(kind, dataset) },
  })),
  // API v2: the same rules as a resource GET.
  getResourceExtras: [
    {
      on: "a link of owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.ownerPublic, rid: fx.resources.ownerPublicLink },
      }),
      expect: everyone(200),
    },
    {
      on: "a link of O's private dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.orgPrivate, rid: fx.resources.orgPrivateLink },
      }),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
    {
      on: "a pending upload of owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { dataset: fx.datasets.ownerPublic, rid: fx.resources.ownerPublicPending },
      }),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
  ],
  // API v2: the same rule as a resource PUT.
  updateResourceExtras: resourceCases(200, async (kind, dataset) => ({
    params: { dataset, rid: await addLink(kind, dataset) },
    body: { 'portail:note': 'x' },
  })),
  deleteResourceExtras: resourceCases(204, async (kind, dataset) => ({
    params: { dataset, rid: await addLink(kind, dataset) },
    body: ['portail:note'],
  })),
  uploadNewFile: resourceCases(201, async (_, dataset) => ({ params: { dataset }, body: FILE })),
  replaceFile: resourceCases(201, async (kind, dataset) => ({
    params: { dataset, rid: (await declareUpload(kind, dataset, false)).rid },
    body: FILE,
  })),
  startMultipartUpload: resourceCases(201, async (_, dataset) => ({ params: { dataset }, body: FILE })),
  startMultipartReplacement: resourceCases(201, async (kind, dataset) => ({
    params: { dataset, rid: (await declareUpload(kind, dataset, false)).rid },
    body: FILE,
  })),
  getMultipartUpload: resourceCases(200, async (kind, dataset) => ({
    params: await multipartParams(kind, dataset),
  })),
  getPartUrls: resourceCases(200, async (kind, dataset) => ({
    params: await multipartParams(kind, dataset),
    body: { part_numbers: [1] },
  })),
  completeMultipartUpload: resourceCases(202, async (kind, dataset) => {
    const params = await multipartParams(kind, dataset);
    await sendParts(kind, dataset, params.rid, params.upload);
    return { params };
  }),
  abortMultipartUpload: resourceCases(204, async (kind, dataset) => ({
    params: await multipartParams(kind, dataset),
  })),
  // The stable `latest` URL: a redirect to the file or link, 404 for a private dataset one may not edit.
  downloadResource: [
    {
      on: "a link of owner's public dataset",
      call: async (actor) => ({ headers: headersOf(actor), params: { rid: fx.resources.ownerPublicLink } }),
      expect: everyone(302),
    },
    {
      on: "a link of O's private dataset",
      call: async (actor) => ({ headers: headersOf(actor), params: { rid: fx.resources.orgPrivateLink } }),
      expect: { anonymous: 404, other: 404, editor: 302, admin: 302, owner: 404, sysadmin: 302 },
    },
  ],

  // A hosted file's URL: the ladder of `downloadResource`, then 404 for whatever is not a hosted file
  // (both fixtures are links); its GET and HEAD on a file are in udata-client-compat.test.ts.
  downloadFile: [
    {
      on: "a link of owner's public dataset",
      call: as2(() => ({ params: { rid: fx.resources.ownerPublicLink, filename: 'lien.csv' } })),
      expect: everyone(404),
    },
    {
      on: "a link of O's private dataset",
      call: as2(() => ({ params: { rid: fx.resources.orgPrivateLink, filename: 'lien.csv' } })),
      expect: everyone(404),
    },
  ],

  // Transfers: the giving side asks (the owner, or an admin of the owning organization), the receiving
  // side answers (the user, or an admin of the organization); both sides read (on the giving side any
  // member of the organization).
  listTransfers: [
    {
      on: TRANSFER_LABELS['to-org'],
      call: as(),
      expect: signedIn(200),
      lists: { item: () => fx.transfers['to-org'], to: ['admin', 'owner'] },
    },
    {
      on: TRANSFER_LABELS['to-owner'],
      call: as(),
      expect: signedIn(200),
      lists: { item: () => fx.transfers['to-owner'], to: ['editor', 'admin', 'owner'] },
    },
  ],
  requestTransfer: [
    ...transferRequestCases(),
    {
      on: "owner's public reuse to O",
      call: async (actor) => ({
        headers: headersOf(actor),
        body: {
          subject: { class: 'Reuse', id: await createReuse('owner-public') },
          recipient: { class: 'Organization', id: fx.org },
        },
      }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 201, sysadmin: 201 },
    },
    {
      // O's reuse: its admins give it away, not its editors.
      on: "O's public reuse to owner",
      call: async (actor) => ({
        headers: headersOf(actor),
        body: {
          subject: { class: 'Reuse', id: await createReuse('org-public') },
          recipient: { class: 'User', id: fx.users.owner.id },
        },
      }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 201, owner: 403, sysadmin: 201 },
    },
  ],
  // The activity stream is public; the inbox and preferences are the caller's own.
  listActivity: [{ call: as({ query: LIST_ALL }), expect: everyone(200) }],
  listNotifications: [{ call: as(), expect: signedIn(200) }],
  readNotification: [
    {
      on: 'an id none of the caller’s notifications has',
      call: as({ params: { id: '0'.repeat(24) } }),
      expect: signedIn(404),
    },
  ],
  getNotificationPreferences: [{ call: as(), expect: signedIn(200) }],
  updateNotificationPreferences: [{ call: as({ body: { digest: 'hourly' } }), expect: signedIn(200) }],
  // No login: the signed token alone decides (a forged one is a 400 for everyone).
  unsubscribePage: [
    { on: 'a forged token', call: as({ query: { token: 'forged.token' } }), expect: everyone(400) },
  ],
  unsubscribe: [
    { on: 'a forged token', call: as({ query: { token: 'forged.token' } }), expect: everyone(400) },
  ],
  // Webhooks: a user's own, or an organization's for its admins.
  listWebhookEvents: [{ call: as(), expect: everyone(200) }],
  listWebhooks: [
    { on: 'my own', call: as(), expect: signedIn(200) },
    {
      on: 'O',
      call: as2(() => ({ query: { organization: fx.org } })),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 200, owner: 403, sysadmin: 200 },
    },
  ],
  createWebhook: [
    {
      on: 'my own',
      call: as({
        body: { url: 'https://hooks.example.org/mine', events: ['dataset.updated'], active: false },
      }),
      expect: signedIn(201),
    },
    {
      on: 'O',
      call: as2(() => ({
        body: {
          url: 'https://hooks.example.org/org',
          events: ['dataset.updated'],
          organization: fx.org,
          active: false,
        },
      })),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 201, owner: 403, sysadmin: 201 },
    },
  ],
  getWebhook: webhookCases(),
  updateWebhook: webhookCases({ body: { active: false } }),
  deleteWebhook: webhookCases({}, 204),
  listWebhookDeliveries: webhookCases({ query: LIST_ALL }),
  rotateWebhookSecret: webhookCases({ body: { grace_seconds: 3600 } }),

  // Follows: anyone signed in follows what they can see; nobody follows themself.
  listDatasetFollowers: followCases('dataset', 200),
  followDataset: followCases('dataset', 201),
  unfollowDataset: followCases('dataset', 200, followFirst),
  listReuseFollowers: followCases('reuse', 200),
  followReuse: followCases('reuse', 201),
  unfollowReuse: followCases('reuse', 200, followFirst),
  listOrganizationFollowers: [{ call: as2(() => ({ params: { org: fx.org } })), expect: everyone(200) }],
  followOrganization: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { org: await createOrganization(fx.users.admin) },
      }),
      expect: signedIn(201),
    },
  ],
  unfollowOrganization: [
    {
      call: async (actor) => {
        const org = await createOrganization(fx.users.admin);
        await followFirst(`/api/1/organizations/${org}/followers/`, actor);
        return { headers: headersOf(actor), params: { org } };
      },
      expect: signedIn(200),
    },
  ],
  listUserFollowers: [{ call: as2(() => ({ params: { user: fx.users.owner.id } })), expect: everyone(200) }],
  followUser: [
    {
      on: 'owner',
      call: as2(() => ({ params: { user: fx.users.owner.id } })),
      expect: { anonymous: 401, other: 201, editor: 201, admin: 201, owner: 403, sysadmin: 201 },
    },
  ],
  unfollowUser: [
    {
      // Nobody follows themself: the editor has nothing to end (404).
      on: 'editor',
      call: async (actor) => {
        await followFirst(`/api/1/users/${fx.users.editor.id}/followers/`, actor);
        return { headers: headersOf(actor), params: { user: fx.users.editor.id } };
      },
      expect: { anonymous: 401, other: 200, editor: 404, admin: 200, owner: 200, sysadmin: 200 },
    },
  ],
  listMyFollowing: [{ call: as(), expect: signedIn(200) }],

  // Reuses.
  searchReusesV2: [{ call: as(), expect: everyone(200) }],
  suggestReuses: [{ call: as(), expect: everyone(200) }],
  listReuses: [
    {
      on: "owner's",
      call: as2(() => ({ query: { owner: fx.users.owner.id, ...LIST_ALL } })),
      expect: everyone(200),
      lists: { item: () => fx.reuses['owner-private'], to: ['owner', 'sysadmin'] },
    },
    {
      on: "O's",
      call: as2(() => ({ query: { organization: fx.org, ...LIST_ALL } })),
      expect: everyone(200),
      lists: { item: () => fx.reuses['org-private'], to: ['editor', 'admin', 'sysadmin'] },
    },
    {
      on: 'all',
      call: as2(() => ({ query: LIST_ALL })),
      expect: everyone(200),
      lists: { item: () => fx.reuses['owner-private'], to: [] },
    },
  ],
  // Image uploads sent without a form: past the access check they answer 400 (no `file`).
  uploadOrganizationLogo: [
    { call: asOnOrg(() => ({ params: { org: fx.org } })), expect: orgAdmins(400, 400) },
  ],
  // Its admins pass, then O has no logo to crop (400 naming `file`); test/images.test.ts crops one.
  recropOrganizationLogo: [
    { call: asOnOrg(() => ({ params: { org: fx.org } })), expect: orgAdmins(400, 400) },
  ],
  uploadReuseImage: reuseChangeCases(400),
  uploadAvatar: [{ call: as(), expect: signedIn(400) }],
  // A well-formed image URL redirects to the bucket, whoever asks (images are public).
  getImage: [
    {
      // Images are public: an unknown one is the same 404 for everyone (test/images.test.ts follows a
      // stored one to its bytes).
      call: as({ params: { owner: '0123456789abcdef01234567', file: '0123456789abcdef01234567-100.png' } }),
      expect: everyone(404),
    },
  ],
  createContactPoint: [
    {
      on: 'my own',
      call: as({ body: { name: 'Accueil', email: 'accueil@example.org', role: 'contact' } }),
      expect: signedIn(201),
    },
    {
      on: 'for O',
      call: as2(() => ({
        body: { name: 'Accueil', email: 'accueil@example.org', role: 'publisher', organization: fx.org },
      })),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
  ],
  listContactPointRoles: [{ call: as(), expect: everyone(200) }],
  getContactPoint: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { contact: await newContactPoint('org') },
      }),
      expect: everyone(200),
    },
  ],
  updateContactPoint: contactPointChangeCases(200, { name: 'Service renommé' }),
  deleteContactPoint: contactPointChangeCases(204),
  listOrganizationContactPoints: [{ call: as2(() => ({ params: { org: fx.org } })), expect: everyone(200) }],
  createReuse: [
    {
      on: "linking owner's public dataset",
      call: as2(() => ({ body: reuseBody() })),
      expect: signedIn(201),
    },
    {
      on: 'for O',
      call: as2(() => ({ body: reuseBody({ organization: fx.org }) })),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
    {
      // A private dataset named in a body is as unknown as a dataset that does not exist: 400.
      on: "private, linking O's private dataset",
      call: as2(() => ({ body: reuseBody({ private: true, datasets: [fx.datasets.orgPrivate] }) })),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
  ],
  listReuseTypes: [{ call: as(), expect: everyone(200) }],
  listReuseTopics: [{ call: as(), expect: everyone(200) }],
  getReuse: [
    {
      on: "owner's public reuse",
      call: as2(() => ({ params: { reuse: fx.reuses['owner-public'] } })),
      expect: everyone(200),
    },
    {
      on: "owner's private reuse",
      call: as2(() => ({ params: { reuse: fx.reuses['owner-private'] } })),
      expect: { anonymous: 404, other: 404, editor: 404, admin: 404, owner: 200, sysadmin: 200 },
    },
    {
      on: "organization's private reuse",
      call: as2(() => ({ params: { reuse: fx.reuses['org-private'] } })),
      expect: { anonymous: 404, other: 404, editor: 200, admin: 200, owner: 404, sysadmin: 200 },
    },
  ],
  updateReuse: reuseChangeCases(200, () => ({ title: uniqueTitle('Réutilisation renommée') })),
  deleteReuse: reuseChangeCases(204),
  linkReuseDataset: reuseChangeCases(201, () => ({ id: fx.datasets.orgPublic })),
  listOrganizationReuses: [
    {
      call: as2(() => ({ params: { org: fx.org } })),
      expect: everyone(200),
      lists: { item: () => fx.reuses['org-private'], to: ['editor', 'admin', 'sysadmin'] },
    },
  ],
  listMyReuses: [
    {
      call: as(),
      expect: signedIn(200),
      lists: { item: () => fx.reuses['owner-private'], to: ['owner'] },
    },
  ],
  getTransfer: [
    {
      on: TRANSFER_LABELS['to-org'],
      call: async (actor) => ({ headers: headersOf(actor), params: { id: fx.transfers['to-org'] } }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 200, owner: 200, sysadmin: 200 },
    },
    {
      on: TRANSFER_LABELS['to-owner'],
      call: async (actor) => ({ headers: headersOf(actor), params: { id: fx.transfers['to-owner'] } }),
      expect: { anonymous: 401, other: 403, editor: 200, admin: 200, owner: 200, sysadmin: 200 },
    },
  ],
  // Discussions: anyone reads, confirmed accounts open and comment, the author edits and deletes, the
  // author and whoever speaks for the subject close, sysadmins moderate what the spam rule held.
  listDiscussions: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        query: { for: fx.datasets.orgPublic, page_size: '100' },
      }),
      expect: everyone(200),
      lists: { item: () => fx.discussion, to: ACTORS },
    },
  ],
  listOrganizationDiscussions: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { org: fx.org },
        query: { page_size: '100' },
      }),
      expect: everyone(200),
      lists: { item: () => fx.discussion, to: ACTORS },
    },
  ],
  createDiscussion: [
    {
      on: "on O's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        body: {
          title: 'Question',
          comment: 'Bonjour',
          subject: { class: 'Dataset', id: fx.datasets.orgPublic },
        },
      }),
      expect: signedIn(201),
    },
    {
      // Discussions are opened on public datasets only: a private one is a 400 naming `subject`.
      on: "on O's private dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        body: {
          title: 'Question',
          comment: 'Bonjour',
          subject: { class: 'Dataset', id: fx.datasets.orgPrivate },
        },
      }),
      expect: signedIn(400),
    },
    {
      on: "for O, on owner's public dataset",
      call: async (actor) => ({
        headers: headersOf(actor),
        body: {
          title: 'Question',
          comment: 'Bonjour',
          subject: { class: 'Dataset', id: fx.datasets.ownerPublic },
          organization: fx.org,
        },
      }),
      expect: { anonymous: 401, other: 400, editor: 201, admin: 201, owner: 400, sysadmin: 201 },
    },
  ],
  getDiscussion: [
    {
      on: 'published',
      call: async (actor) => ({ headers: headersOf(actor), params: { id: (await discussions()).published } }),
      expect: everyone(200),
    },
    {
      // Held for moderation: its author and sysadmins see it, nobody else.
      on: 'held',
      call: async (actor) => ({ headers: headersOf(actor), params: { id: (await discussions()).held } }),
      expect: { ...everyone(404), owner: 200, sysadmin: 200 },
    },
  ],
  commentDiscussion: [
    {
      on: 'a comment',
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await openDiscussion() },
        body: { comment: 'Merci' },
      }),
      expect: signedIn(200),
    },
    {
      on: 'closing',
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await openDiscussion() },
        body: { close: true },
      }),
      expect: { ...signedIn(200), other: 403 },
    },
  ],
  updateDiscussion: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await openDiscussion() },
        body: { title: 'Nouveau titre' },
      }),
      expect: authorOnly(200),
    },
  ],
  deleteDiscussion: [
    {
      call: async (actor) => ({ headers: headersOf(actor), params: { id: await openDiscussion() } }),
      expect: authorOnly(204),
    },
  ],
  updateDiscussionComment: [
    {
      call: async (actor) => {
        const { id, comment } = await discussionWithComment();
        return { headers: headersOf(actor), params: { id, comment }, body: { comment: 'Corrigé' } };
      },
      expect: authorOnly(200),
    },
  ],
  deleteDiscussionComment: [
    {
      call: async (actor) => {
        const { id } = await discussionWithComment();
        return { headers: headersOf(actor), params: { id, comment: '1' } };
      },
      expect: authorOnly(204),
    },
  ],
  publishHeldDiscussion: [
    {
      // Its author sees it (403), others do not (404).
      call: async (actor) => ({ headers: headersOf(actor), params: { id: await openDiscussion(true) } }),
      expect: { ...signedIn(404), owner: 403, sysadmin: 200 },
    },
  ],
  publishHeldComment: [
    {
      call: async (actor) => {
        const { id, comment } = await discussionWithComment('https://spam.example/');
        return { headers: headersOf(actor), params: { id, comment } };
      },
      expect: sysadminOnly(200),
    },
  ],
  createReport: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        body: { subject: { class: 'Discussion', id: (await discussions()).published }, reason: 'others' },
      }),
      expect: signedIn(201),
    },
  ],
  listReports: [
    {
      call: async (actor) => ({ headers: headersOf(actor), query: { page_size: '100' } }),
      expect: sysadminOnly(200),
    },
  ],
  listReportReasons: [{ call: as(), expect: everyone(200) }],
  getReport: [
    {
      call: async (actor) => ({ headers: headersOf(actor), params: { id: (await discussions()).report } }),
      expect: sysadminOnly(200),
    },
  ],
  dismissReport: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await fileReport((await discussions()).published) },
        body: { dismissed: true },
      }),
      expect: sysadminOnly(200),
    },
  ],
  respondToTransfer: [
    {
      on: `accepting ${TRANSFER_LABELS['to-org']}`,
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await pendingTransfer('to-org') },
        body: { response: 'accept' },
      }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 200, owner: 403, sysadmin: 200 },
    },
    {
      on: `accepting ${TRANSFER_LABELS['to-owner']}`,
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { id: await pendingTransfer('to-owner') },
        body: { response: 'accept' },
      }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 200, sysadmin: 200 },
    },
  ],

  // The DCAT catalogue: public, and private datasets are never exported, whoever asks.
  ...rdfFamily('getSiteCatalog', [{ call: as({ query: { page_size: '1' } }), expect: everyone(200) }]),
  ...rdfFamily('getOrganizationCatalog', [
    { on: 'organization O', call: asOnOrg(() => ({ params: { org: fx.org } })), expect: everyone(200) },
    {
      on: 'a deleted organization',
      call: asOnOrg(() => ({ params: { org: fx.deletedOrg } })),
      expect: deletedOrgRead,
    },
  ]),
  getDatasetsCsv: [{ call: as(), expect: everyone(200) }],
  // Dashboards: a dataset's for whoever may edit it; an organization's for its members; one's own.
  getDatasetDashboard: [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPublic } }),
      expect: ownerDatasetChange(200, false),
    },
    {
      on: DATASET_LABELS['owner-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPrivate } }),
      expect: ownerDatasetChange(200, true),
    },
    {
      on: DATASET_LABELS['org-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPublic } }),
      expect: orgDatasetChange(200, false),
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: orgDatasetChange(200, true),
    },
  ],
  getOrganizationDashboard: [
    {
      on: 'O',
      call: asOnOrg(() => ({ params: { org: fx.org } })),
      expect: { anonymous: 401, other: 403, editor: 200, admin: 200, owner: 200, sysadmin: 200 },
    },
  ],
  getMyDashboard: [{ call: as(), expect: signedIn(200) }],
  getDatasetMetrics: datasetReadCases(),
  getDatasetMetricsCsv: datasetReadCases(),
  getResourcesCsv: [{ call: as(), expect: everyone(200) }],
  // Cards: public datasets only, whoever asks.
  getDatasetEmbed: [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPublic } }),
      expect: everyone(200),
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: everyone(404),
    },
  ],
  getOembed: [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({
        headers: headersOf(actor),
        query: { url: api.url(`/api/1/datasets/${fx.datasets.ownerPublic}/`) },
      }),
      expect: everyone(200),
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({
        headers: headersOf(actor),
        query: { url: api.url(`/api/1/datasets/${fx.datasets.orgPrivate}/`) },
      }),
      expect: everyone(404),
    },
  ],
  ...rdfFamily('getDatasetRdf', [
    {
      on: DATASET_LABELS['owner-public'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.ownerPublic } }),
      expect: everyone(200),
    },
    {
      on: DATASET_LABELS['org-private'],
      call: async (actor) => ({ headers: headersOf(actor), params: { dataset: fx.datasets.orgPrivate } }),
      expect: everyone(404),
    },
  ]),
  // Harvest.
  listHarvestSources: [{ call: as(), expect: everyone(200) }],
  createHarvestSource: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        body: await sourceBody(null),
      }),
      expect: signedIn(201),
    },
    {
      // Only those who will manage it (the organization's admins) register a source for an organization.
      on: 'for organization O',
      call: async (actor) => ({
        headers: headersOf(actor),
        body: await sourceBody(fx.org),
      }),
      expect: { anonymous: 401, other: 400, editor: 400, admin: 201, owner: 400, sysadmin: 201 },
    },
  ],
  getHarvestSource: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { ident: await newHarvestSource('owner') },
      }),
      expect: everyone(200),
    },
  ],
  updateHarvestSource: harvestSourceCases(200, (ident) => ({
    params: { ident },
    body: { description: 'Revue.' },
  })),
  deleteHarvestSource: harvestSourceCases(204, (ident) => ({ params: { ident } })),
  validateHarvestSource: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { ident: await newHarvestSource('owner') },
        body: { state: 'refused', comment: 'Hors sujet.' },
      }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 403, sysadmin: 200 },
    },
  ],
  runHarvestSource: harvestSourceCases(202, (ident) => ({ params: { ident } }), true),
  previewHarvestSource: (['owner', 'org'] as const).map((kind) => ({
    on: kind === 'owner' ? 'a source of owner' : 'a source of O',
    call: async (actor: Actor) => ({
      headers: headersOf(actor),
      params: { ident: await newHarvestSource(kind) },
    }),
    expect: { ...managers(kind, 200), ...(kind === 'org' ? { editor: 200 } : {}) },
  })),
  previewHarvestSourceConfig: [
    {
      on: 'a source of the caller',
      call: async (actor) => ({
        headers: headersOf(actor),
        body: await sourceBody(null),
      }),
      expect: signedIn(200),
    },
    {
      on: 'a source of O',
      call: async (actor) => ({
        headers: headersOf(actor),
        body: await sourceBody(fx.org),
      }),
      expect: { anonymous: 401, other: 400, editor: 200, admin: 200, owner: 400, sysadmin: 200 },
    },
  ],
  scheduleHarvestSource: (['owner', 'org'] as const).map((kind) => ({
    on: kind === 'owner' ? 'a source of owner' : 'a source of O',
    call: async (actor: Actor) => ({
      headers: headersOf(actor),
      params: { ident: await newHarvestSource(kind) },
      body: '0 3 * * 1',
    }),
    expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 403, sysadmin: 200 },
  })),
  unscheduleHarvestSource: (['owner', 'org'] as const).map((kind) => ({
    on: kind === 'owner' ? 'an accepted source of owner' : 'an accepted source of O',
    call: async (actor: Actor) => ({
      headers: headersOf(actor),
      params: { ident: await newHarvestSource(kind, true) },
    }),
    expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 403, sysadmin: 204 },
  })),
  listHarvestJobs: [
    {
      call: async (actor) => ({
        headers: headersOf(actor),
        params: { ident: (await harvestJobFixture()).source },
      }),
      expect: everyone(200),
    },
  ],
  getHarvestJob: [
    {
      call: async (actor) => ({ headers: headersOf(actor), params: { id: (await harvestJobFixture()).job } }),
      expect: everyone(200),
    },
  ],
  listHarvestJobItems: [
    {
      call: async (actor) => ({ headers: headersOf(actor), params: { id: (await harvestJobFixture()).job } }),
      expect: everyone(200),
    },
  ],
  listHarvestBackends: [{ call: as(), expect: everyone(200) }],
  getHarvestPause: [{ call: as(), expect: everyone(200) }],
  // Resuming (not pausing), so the cells never stop other tests' runs.
  setHarvestPause: [
    {
      call: as({ body: { paused: false } }),
      expect: { anonymous: 401, other: 403, editor: 403, admin: 403, owner: 403, sysadmin: 200 },
    },
  ],
};

// ---------------------------------------------------------------------------------------------------
// Running it

/**
 * Sends a call to the route of `operationId`, filling the path's `{params}` from the call. Redirects are
 * answers like any other (the download route's 302), never followed.
 */
async function send(
  operationId: string,
  call: Call,
): Promise<{ status: number; text: string; json: unknown }> {
  const route = routeList.find((candidate) => candidate.operationId === operationId);
  if (!route) throw new Error(`The matrix has an entry for ${operationId}, which is not a route.`);
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = call.params?.[name];
    if (value === undefined) throw new Error(`${operationId}: no value for {${name}} in ${route.path}`);
    return encodeURIComponent(value);
  });
  const query = call.query ? `?${new URLSearchParams(call.query)}` : '';
  const request = () =>
    fetch(api.url(`${path}${query}`), {
      method: route.method,
      redirect: 'manual',
      headers: {
        ...call.headers,
        ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    });
  let response = await request();
  let text = await response.text();
  // The harvest pause is one switch for the whole platform, and test/harvest.test.ts turns it on for a
  // moment beside this file: a run it refused (which changed nothing) is asked again once it is off.
  for (
    let retry = 0;
    retry < 40 && response.status === 409 && text.includes('Harvesting is paused');
    retry++
  ) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    response = await request();
    text = await response.text();
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json };
}

/** The ids of a listing: udata's envelope `{data, …}`, or a plain list (transfers). */
function listedIds(json: unknown): string[] {
  const items: unknown = Array.isArray(json) ? json : (json as { data?: unknown } | undefined)?.data;
  if (!Array.isArray(items)) throw new Error(`not a listing: ${JSON.stringify(json)}`);
  return items.map((item: { id?: unknown }) => String(item.id));
}

beforeAll(async () => {
  const [other, editor, admin, owner, sysadmin] = await Promise.all([
    newUser(),
    newUser(),
    newUser(),
    newUser(),
    newUser({ sysadmin: true }),
  ]);
  const users = { other, editor, admin, owner, sysadmin };
  const [org, deletedOrg] = await Promise.all([createOrganization(admin), createOrganization(admin)]);
  fx = {
    users,
    org,
    deletedOrg,
    datasets: { ownerPublic: '', ownerPrivate: '', orgPublic: '', orgPrivate: '' },
    communityResources: { 'owner-on-org-public': '', 'owner-on-owner-private': '', 'org-on-org-private': '' },
    transfers: { 'to-org': '', 'to-owner': '' },
    discussion: '',
    reuses: { 'owner-public': '', 'owner-private': '', 'org-public': '', 'org-private': '' },
    resources: { ownerPublicLink: '', orgPrivateLink: '', ownerPublicPending: '' },
  };
  await Promise.all([addMember(org, editor, 'editor'), addMember(deletedOrg, editor, 'editor')]);
  const [ownerPublic, ownerPrivate, orgPublic, orgPrivate, toOrg, toOwner] = await Promise.all([
    createDataset('owner-public'),
    createDataset('owner-private'),
    createDataset('org-public'),
    createDataset('org-private'),
    pendingTransfer('to-org'),
    pendingTransfer('to-owner'),
    api
      .delete(`/api/1/organizations/${deletedOrg}/`, admin.headers)
      .then((response) => expectStatus(response, 204, 'deleting an organization')),
  ]);
  fx.datasets = { ownerPublic, ownerPrivate, orgPublic, orgPrivate };
  // One write at a time per dataset: each takes the dataset's lock.
  const [ownerPublicResources, orgPrivateLink] = await Promise.all([
    (async () => ({
      link: await addLink('owner-public', ownerPublic),
      pending: (await declareUpload('owner-public', ownerPublic, false)).rid,
    }))(),
    addLink('org-private', orgPrivate),
  ]);
  fx.resources = {
    ownerPublicLink: ownerPublicResources.link,
    orgPrivateLink,
    ownerPublicPending: ownerPublicResources.pending,
  };
  const [ownerOnOrgPublic, ownerOnOwnerPrivate, orgOnOrgPrivate] = await Promise.all([
    postCommunityResource('owner-on-org-public'),
    postCommunityResource('owner-on-owner-private'),
    postCommunityResource('org-on-org-private'),
  ]);
  fx.communityResources = {
    'owner-on-org-public': ownerOnOrgPublic,
    'owner-on-owner-private': ownerOnOwnerPrivate,
    'org-on-org-private': orgOnOrgPrivate,
  };
  fx.transfers = { 'to-org': toOrg, 'to-owner': toOwner };
  fx.discussion = await openDiscussion();
  const [ownerPublicReuse, ownerPrivateReuse, orgPublicReuse, orgPrivateReuse] = await Promise.all([
    createReuse('owner-public'),
    createReuse('owner-private'),
    createReuse('org-public'),
    createReuse('org-private'),
  ]);
  fx.reuses = {
    'owner-public': ownerPublicReuse,
    'owner-private': ownerPrivateReuse,
    'org-public': orgPublicReuse,
    'org-private': orgPrivateReuse,
  };
});

it('has an entry for every route of the route table, and none for a route that does not exist', () => {
  const operationIds: string[] = routeList.map((route) => route.operationId);
  const entries = Object.keys(matrix);
  expect(operationIds.filter((operationId) => !entries.includes(operationId))).toEqual([]);
  expect(entries.filter((operationId) => !operationIds.includes(operationId))).toEqual([]);
  for (const [operationId, cases] of Object.entries(matrix)) {
    expect(cases.length, `${operationId} has no case`).toBeGreaterThan(0);
  }
});

const cells = Object.entries(matrix).flatMap(([operationId, cases]) =>
  cases.flatMap((entry) => ACTORS.map((actor) => ({ operationId, entry, actor }))),
);

/** `updateDataset (owner's private dataset) as editor → 404`; listings add whether the object shows. */
function cellName(operationId: string, entry: Case, actor: Actor): string {
  const status = entry.expect[actor];
  const listed =
    entry.lists && status === 200 ? (entry.lists.to.includes(actor) ? ', listed' : ', not listed') : '';
  return `${operationId}${entry.on ? ` (${entry.on})` : ''} as ${actor} → ${status}${listed}`;
}

describe.concurrent('permission matrix', () => {
  for (const { operationId, entry, actor } of cells) {
    it(cellName(operationId, entry, actor), async ({ expect }) => {
      const response = await send(operationId, await entry.call(actor));
      expect(response.status, response.text).toBe(entry.expect[actor]);
      if (entry.lists && response.status === 200) {
        const id = entry.lists.item();
        const shown = listedIds(response.json).includes(id);
        expect(shown, `${id} is ${shown ? '' : 'not '}listed`).toBe(entry.lists.to.includes(actor));
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------
// The unconfirmed row

/**
 * `unconfirmed`: an account that registered and logged in but has not confirmed its email. As in udata,
 * it may only confirm, ask for a new link or delete itself: every `authenticated` route answers it 403
 * saying what to do (no API tokens, no membership requests, no publishing), except the routes declared
 * `allowsUnconfirmed` (its profile, the CSRF token, deleting itself). On public routes it is a
 * stranger, answered as `other` is. Anonymous-only routes (register, login, confirm, resend, reset)
 * never look at credentials: the anonymous column covers them. It may not make an API token, so it
 * calls with its session cookie and CSRF token.
 */
const UNCONFIRMED_ALLOWED: Partial<Record<OperationId, number>> = {
  getCsrfToken: 200,
  getMe: 200,
  deleteMe: 204,
};
/** Cells that end the session or the account: a new unconfirmed account each. */
const UNCONFIRMED_FRESH = new Set<string>(['deleteMe', 'logout']);
let sharedUnconfirmed: Promise<TestUser> | undefined;
function unconfirmedUser(): Promise<TestUser> {
  sharedUnconfirmed ??= newUser({ confirmed: false });
  return sharedUnconfirmed;
}

const unconfirmedCells = Object.entries(matrix).flatMap(([operationId, cases]) => {
  const route = routeList.find((candidate) => candidate.operationId === operationId)!;
  if (route.access === 'anonymous-only') return [];
  return cases.map((entry) => ({
    operationId,
    entry,
    status:
      route.access === 'public'
        ? entry.expect.other
        : (UNCONFIRMED_ALLOWED[operationId as OperationId] ?? 403),
  }));
});

it('lets an unconfirmed account call exactly the routes declared for it', () => {
  expect(
    routeList
      .filter((route) => route.allowsUnconfirmed)
      .map((route) => route.operationId)
      .sort(),
  ).toEqual(Object.keys(UNCONFIRMED_ALLOWED).sort());
});

describe.concurrent('permission matrix: an account whose email is not confirmed', () => {
  for (const { operationId, entry, status } of unconfirmedCells) {
    it(`${operationId}${entry.on ? ` (${entry.on})` : ''} as unconfirmed → ${status}`, async ({ expect }) => {
      const user = UNCONFIRMED_FRESH.has(operationId)
        ? await newUser({ confirmed: false })
        : await unconfirmedUser();
      const call = await entry.call('other');
      const response = await send(operationId, { ...call, headers: user.headers });
      expect(response.status, response.text).toBe(status);
      const route = routeList.find((candidate) => candidate.operationId === operationId)!;
      if (route.access === 'authenticated' && status === 403) {
        expect((response.json as { message: string }).message).toMatch(/^Confirm your email address first/);
      }
    });
  }
});
