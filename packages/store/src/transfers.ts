import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Actor,
  answerTransfer,
  ConflictError,
  type Dataset,
  type EventData,
  GoneError,
  type MemberUser,
  NotFoundError,
  type Publisher,
  type Reuse,
  sameParty,
  type Transfer,
  type TransferRespondInput,
  TransferSchema,
  transferDataset,
  transferReuse,
  ValidationError,
} from '@portail/core';
import { documentClient } from './client';
import { datasetWriteItems, findDatasetById } from './datasets';
import { keys, type OwnerRef } from './keys';
import { buildEvent, outboxPut } from './outbox';
import { queryAllItems } from './query-all';
import { findReuseById, reuseWriteItems } from './reuses';
import { type NamedItem, named, TransactionRefused, tableName, transact } from './transact';
import { LOCK, versionedWrite } from './versioned-write';

function partyOf(party: Publisher): OwnerRef {
  return { kind: party.kind, id: party.id };
}

/** A transfer is listed under the owner it was asked for (GSI1) and under its recipient (GSI2). */
function toItem(transfer: Transfer): Record<string, unknown> {
  return {
    ...keys.transfer(transfer.id),
    type: 'Transfer',
    ...keys.transfersAskedBy(partyOf(transfer.owner), transfer.created, transfer.id),
    ...keys.transfersAddressedTo(partyOf(transfer.recipient), transfer.created, transfer.id),
    ...transfer,
  };
}

function fromItem(item: Record<string, unknown>): Transfer {
  return TransferSchema.parse(item);
}

function transferSubject(id: string) {
  return { class: 'Transfer' as const, id };
}

/** What every transfer event says: which object, from whom, to whom. */
function eventData(transfer: Transfer): Omit<EventData<'transfer.requested'>, 'comment'> {
  return {
    subject: { class: transfer.subject.class, id: transfer.subject.id },
    owner: { class: transfer.owner.kind === 'user' ? 'User' : 'Organization', id: transfer.owner.id },
    recipient: {
      class: transfer.recipient.kind === 'user' ? 'User' : 'Organization',
      id: transfer.recipient.id,
    },
  };
}

/**
 * Records a pending transfer. The subject's `version` (the dataset's or the reuse's, as read) is checked
 * in the same transaction, so a transfer is never asked for an owner the subject no longer has.
 */
export async function createTransfer(
  transfer: Transfer,
  subject: { id: string; version: number },
  actor: Actor,
  now = new Date(),
): Promise<Transfer> {
  try {
    await transact([
      named(LOCK, {
        ConditionCheck: {
          TableName: tableName(),
          Key: transfer.subject.class === 'Reuse' ? keys.reuse(subject.id) : keys.dataset(subject.id),
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': subject.version },
        },
      }),
      named('transfer', {
        Put: {
          TableName: tableName(),
          Item: toItem(transfer),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      }),
      outboxPut(
        buildEvent('transfer.requested', transferSubject(transfer.id), actor, now, {
          ...eventData(transfer),
          comment: transfer.comment,
        }),
      ),
    ]);
  } catch (error) {
    if (error instanceof TransactionRefused && error.failedOn(LOCK)) {
      throw new ConflictError('It changed while the transfer was being asked; please retry.');
    }
    throw error;
  }
  return transfer;
}

/** A transfer by id (consistent read), or null. */
export async function findTransfer(id: string): Promise<Transfer | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.transfer(id), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : null;
}

/** A transfer by id; 404 when unknown. */
export async function getTransfer(id: string): Promise<Transfer> {
  const transfer = await findTransfer(id);
  if (!transfer) throw new NotFoundError(`Unknown transfer id "${id}".`);
  return transfer;
}

/** The answered transfer, written only if it is still pending. */
function answeredPut(answered: Transfer): NamedItem {
  return named('transfer', {
    Put: {
      TableName: tableName(),
      Item: toItem(answered),
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    },
  });
}

/**
 * Answers a pending transfer. Refusing writes the transfer and its event. Accepting also gives the
 * dataset to the recipient: the dataset (its owner, its owner's listing keys, `version`), the per-owner
 * counters, the transfer and the events are one transaction, conditioned on the transfer still being
 * pending and on the dataset's `version` being the one read. Of two answers at the same moment one
 * wins; the other reads it again and sees a non-pending transfer (400). A dataset changed meanwhile is
 * read again and the acceptance replayed (one versioned write).
 */
export async function respondToTransfer(
  transfer: Transfer,
  answer: { response: TransferRespondInput['response']; comment: string | null },
  responder: MemberUser,
  /** The recipient as it is now (name and slug), which becomes the dataset's publisher. */
  recipient: Publisher,
  actor: Actor,
  now = new Date(),
): Promise<Transfer> {
  const accepting = answer.response === 'accept';
  // An acceptance moves the dataset (or the reuse): it is read with the transfer, each time.
  const load = async (
    current: Transfer,
  ): Promise<{ transfer: Transfer; dataset: Dataset | null; reuse: Reuse | null }> => {
    if (!accepting) return { transfer: current, dataset: null, reuse: null };
    if (current.subject.class === 'Reuse') {
      const found = await findReuseById(current.subject.id);
      if (!found) throw new NotFoundError(`Reuse "${current.subject.id}" not found.`);
      return { transfer: current, dataset: null, reuse: found.reuse };
    }
    const dataset = await findDatasetById(current.subject.id);
    if (!dataset) throw new NotFoundError(`Dataset "${current.subject.id}" not found.`);
    return { transfer: current, dataset, reuse: null };
  };
  return versionedWrite({
    state: await load(transfer),
    reload: async (state) => load(await getTransfer(state.transfer.id)),
    plan: ({ transfer: current, dataset, reuse }) => {
      // Core's state machine: only a pending transfer is answered (400 saying what became of it).
      const answered = answerTransfer(current, answer.response, responder, answer.comment, now);
      const items: NamedItem[] = [
        answeredPut(answered),
        outboxPut(
          buildEvent(
            accepting ? 'transfer.accepted' : 'transfer.refused',
            transferSubject(answered.id),
            actor,
            now,
            { ...eventData(answered), comment: answered.response_comment },
          ),
        ),
      ];
      if (dataset) {
        if (dataset.deleted) throw new GoneError(`Dataset "${answered.subject.id}" has been deleted.`);
        items.push(
          ...datasetWriteItems(dataset, transferDataset(dataset, answered, recipient, now)),
          outboxPut(
            buildEvent('dataset.updated', { class: 'Dataset', id: dataset.id }, actor, now, {
              changes: ['owner', 'organization'],
              slug: dataset.slug,
              transfer: answered.id,
            }),
          ),
        );
      }
      if (reuse) {
        if (reuse.deleted) throw new GoneError(`Reuse "${answered.subject.id}" has been deleted.`);
        if (!sameParty(reuse.publisher, answered.owner)) {
          throw new ValidationError(
            'The reuse changed owner since this transfer was asked; ask for a new transfer.',
          );
        }
        items.push(
          ...reuseWriteItems(reuse, transferReuse(reuse, recipient, now)),
          outboxPut(
            buildEvent('reuse.updated', { class: 'Reuse', id: reuse.id }, actor, now, {
              changes: ['owner', 'organization'],
              slug: reuse.slug,
              transfer: answered.id,
            }),
          ),
        );
      }
      return { items, result: answered };
    },
    // Answered by someone else meanwhile: read again, and the state machine says what became of it.
    refused: () => null,
    conflict: 'The subject changed while the transfer was being answered; please retry.',
  });
}

/** Whose transfers to list: asked for these owners, or addressed to these recipients. */
export interface TransferParties {
  askedBy: OwnerRef[];
  addressedTo: OwnerRef[];
}

async function queryAll(index: 'GSI1' | 'GSI2', partition: string): Promise<Transfer[]> {
  const items = await queryAllItems({
    IndexName: index,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': `${index}PK` },
    ExpressionAttributeValues: { ':pk': partition },
    ScanIndexForward: false,
  });
  return items.map(fromItem);
}

/**
 * The transfers concerning these parties, newest first, each once: one Query per party and side, all
 * in parallel (GSI1 for the owner side, GSI2 for the recipient side).
 */
export async function listTransfers(parties: TransferParties): Promise<Transfer[]> {
  const pages = await Promise.all([
    ...parties.askedBy.map((party) => queryAll('GSI1', keys.partyTransfersPartition(party))),
    ...parties.addressedTo.map((party) => queryAll('GSI2', keys.partyTransfersPartition(party))),
  ]);
  const byId = new Map<string, Transfer>();
  for (const transfer of pages.flat()) byId.set(transfer.id, transfer);
  return [...byId.values()].sort((a, b) => b.created.localeCompare(a.created) || b.id.localeCompare(a.id));
}
