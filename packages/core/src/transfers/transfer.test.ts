import { describe, expect, it } from 'vitest';
import { ANONYMOUS, type Caller } from '../caller';
import { type Dataset, DatasetCreateInputSchema, newDataset, type Publisher } from '../dataset/dataset';
import { ValidationError } from '../errors';
import { isAllowed, type OrgRole, type OwnedObject, type Permission } from '../permissions';
import { answerTransfer, newTransfer, TransferCreateInputSchema, transferDataset } from './transfer';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const LATER = new Date('2026-03-02T10:00:00.000Z');
const ME = 'a'.repeat(24);
const OTHER = 'b'.repeat(24);
const ORG = 'c'.repeat(24);

const alice: Publisher = { kind: 'user', id: ME, slug: 'alice', first_name: 'Alice', last_name: 'A' };
const org: Publisher = { kind: 'organization', id: ORG, slug: 'dinum', name: 'DINUM' };
const responder = { id: OTHER, first_name: 'Bob', last_name: 'B', slug: 'bob' };

function dataset(publisher: Publisher = alice): Dataset {
  const input = DatasetCreateInputSchema.parse({ title: 'Budget', description: 'x', private: true });
  return newDataset(input, { id: 'd'.repeat(24), slug: 'budget' }, publisher, NOW);
}

describe('transfer rules', () => {
  it('asks a pending transfer from the current owner, and never to the current owner', () => {
    const transfer = newTransfer({ id: 't', requestedBy: ME }, dataset(), org, 'Take it', NOW);
    expect(transfer).toMatchObject({
      status: 'pending',
      owner: alice,
      recipient: org,
      subject: { class: 'Dataset', id: 'd'.repeat(24), title: 'Budget', slug: 'budget' },
      comment: 'Take it',
      responded: null,
    });
    expect(() =>
      newTransfer({ id: 't', requestedBy: ME }, dataset(), { ...alice, slug: 'renamed' }, null, NOW),
    ).toThrow(ValidationError);
  });

  it('answers a pending transfer once', () => {
    const transfer = newTransfer({ id: 't', requestedBy: ME }, dataset(), org, null, NOW);
    const accepted = answerTransfer(transfer, 'accept', responder, 'Merci', LATER);
    expect(accepted).toMatchObject({
      status: 'accepted',
      responder,
      response_comment: 'Merci',
      responded: LATER.toISOString(),
    });
    expect(answerTransfer(transfer, 'refuse', responder, null, LATER).status).toBe('refused');
    expect(() => answerTransfer(accepted, 'refuse', responder, null, LATER)).toThrow(/already accepted/);
  });

  it('gives the dataset to the recipient, bumping its version, and refuses a stale transfer', () => {
    const current = dataset();
    const transfer = newTransfer({ id: 't', requestedBy: ME }, current, org, null, NOW);
    const given = transferDataset(current, transfer, org, LATER);
    expect(given).toMatchObject({
      owner: null,
      organization: ORG,
      publisher: org,
      private: true,
      version: current.version + 1,
      last_modified: LATER.toISOString(),
      created_at: current.created_at,
    });
    expect(() => transferDataset(given, transfer, org, LATER)).toThrow(/changed owner/);
  });

  it('reads udata request bodies and names what is wrong', () => {
    const ok = TransferCreateInputSchema.safeParse({
      subject: { class: 'Dataset', id: ' x ' },
      recipient: { class: 'Organization', id: ORG },
    });
    expect(ok.success && ok.data).toEqual({
      subject: { class: 'Dataset', id: 'x' },
      recipient: { class: 'Organization', id: ORG },
      comment: null,
    });
    const bad = TransferCreateInputSchema.safeParse({
      subject: { class: 'Dataservice', id: 'x' },
      recipient: {},
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((issue) => issue.path.join('.')).sort();
    expect(paths).toEqual(['recipient.class', 'recipient.id', 'subject.class']);
  });
});

/** The transfer rules of permissions.ts, for each kind of caller (udata's TransferPermission). */
function user(sysadmin = false): Caller {
  return { kind: 'user', id: ME, sysadmin, confirmed: true, via: 'api-key' };
}
type Who = 'anonymous' | 'outsider' | 'editor' | 'admin' | 'sysadmin';
const callers: Record<Who, { caller: Caller; role: OrgRole | null }> = {
  anonymous: { caller: ANONYMOUS, role: null },
  outsider: { caller: user(), role: null },
  editor: { caller: user(), role: 'editor' },
  admin: { caller: user(), role: 'admin' },
  sysadmin: { caller: user(true), role: null },
};
function allowedFor(permission: (role: OrgRole | null) => Permission): Who[] {
  return (Object.keys(callers) as Who[]).filter((who) =>
    isAllowed(callers[who].caller, permission(callers[who].role)),
  );
}
const mine: OwnedObject = { owner: ME, organization: null };
const someoneElses: OwnedObject = { owner: OTHER, organization: null };
const orgs: OwnedObject = { owner: null, organization: ORG };
const nobody: OwnedObject = { owner: null, organization: null };

describe('transfer permissions', () => {
  it('lets the owner or an admin of the owning organization ask, not an editor', () => {
    expect(allowedFor((role) => ({ action: 'dataset.transfer', dataset: orgs, role }))).toEqual([
      'admin',
      'sysadmin',
    ]);
    expect(allowedFor(() => ({ action: 'dataset.transfer', dataset: mine, role: null }))).toEqual([
      'outsider',
      'editor',
      'admin',
      'sysadmin',
    ]);
    expect(allowedFor(() => ({ action: 'dataset.transfer', dataset: someoneElses, role: null }))).toEqual([
      'sysadmin',
    ]);
  });

  it('lets the recipient user or an admin of the recipient organization answer', () => {
    expect(allowedFor((role) => ({ action: 'transfer.respond', recipient: orgs, role }))).toEqual([
      'admin',
      'sysadmin',
    ]);
    expect(allowedFor(() => ({ action: 'transfer.respond', recipient: someoneElses, role: null }))).toEqual([
      'sysadmin',
    ]);
  });

  it('shows a transfer to the owning side’s members and to whoever may answer it', () => {
    expect(
      allowedFor((role) => ({
        action: 'transfer.read',
        owner: orgs,
        ownerRole: role,
        recipient: someoneElses,
        recipientRole: null,
      })),
    ).toEqual(['editor', 'admin', 'sysadmin']);
    expect(
      allowedFor((role) => ({
        action: 'transfer.read',
        owner: nobody,
        ownerRole: null,
        recipient: orgs,
        recipientRole: role,
      })),
    ).toEqual(['admin', 'sysadmin']);
    expect(
      allowedFor(() => ({
        action: 'transfer.read',
        owner: someoneElses,
        ownerRole: null,
        recipient: mine,
        recipientRole: null,
      })),
    ).toEqual(['outsider', 'editor', 'admin', 'sysadmin']);
  });

  it('lets the author or the organization’s members edit a community resource', () => {
    const postedByMeForOrg: OwnedObject = { owner: ME, organization: ORG };
    expect(
      allowedFor((role) => ({ action: 'community-resource.edit', resource: postedByMeForOrg, role })),
    ).toEqual(['outsider', 'editor', 'admin', 'sysadmin']);
    expect(allowedFor((role) => ({ action: 'community-resource.edit', resource: orgs, role }))).toEqual([
      'editor',
      'admin',
      'sysadmin',
    ]);
    expect(
      allowedFor(() => ({ action: 'community-resource.edit', resource: someoneElses, role: null })),
    ).toEqual(['sysadmin']);
  });
});
