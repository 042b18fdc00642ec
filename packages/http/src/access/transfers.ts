import {
  type Caller,
  ownedBy,
  type Publisher,
  type Transfer,
  type TransferIntent,
  transferVerdict,
} from '@portail/core';
import { findTransfer } from '@portail/store';
import { enforce } from './refusals';
import { roleOf } from './roles';

const forbidden = (transfer: Transfer | null, intent: TransferIntent) => {
  if (intent === 'read' || !transfer) return 'This transfer does not concern you.';
  return transfer.recipient.kind === 'user'
    ? 'Only the recipient may answer this transfer.'
    : 'Only an admin of the recipient organization may answer this transfer.';
};

/**
 * A transfer (one GetItem) the caller may `intent`: both sides read it, the recipient answers it. The
 * caller's role in each side's organization is one GetItem each, in parallel, when it matters.
 */
export async function loadTransfer(caller: Caller, id: string, intent: TransferIntent): Promise<Transfer> {
  const transfer = await findTransfer(id);
  const organizationOf = (party: Publisher | undefined) => (party?.kind === 'organization' ? party.id : null);
  const [owner, recipient] = await Promise.all([
    intent === 'read' ? roleOf(caller, organizationOf(transfer?.owner)) : null,
    roleOf(caller, organizationOf(transfer?.recipient)),
  ]);
  const verdict = transferVerdict(
    caller,
    transfer && { owner: ownedBy(transfer.owner), recipient: ownedBy(transfer.recipient) },
    { owner, recipient },
    intent,
  );
  enforce(verdict, {
    notFound: `Unknown transfer id "${id}".`,
    gone: '',
    forbidden: forbidden(transfer, intent),
  });
  return transfer as Transfer;
}
