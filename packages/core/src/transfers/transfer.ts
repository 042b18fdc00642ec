import * as z from 'zod';
import { type Dataset, type Publisher, PublisherSchema } from '../dataset/dataset';
import { ValidationError } from '../errors';
import { lazySchema } from '../lazy-schema';
import { type MemberUser, MemberUserSchema } from '../organizations/organization';
import { isoDateTime, optionalString } from '../schema-helpers';

export const MAX_TRANSFER_COMMENT_LENGTH = 5000;

export const TRANSFER_STATUSES = ['pending', 'accepted', 'refused'] as const;
export const TransferStatusSchema = /* @__PURE__ */ lazySchema(() =>
  z.enum(TRANSFER_STATUSES, {
    error: `Unknown status: expected one of ${TRANSFER_STATUSES.join(', ')}.`,
  }),
);
export type TransferStatus = z.infer<typeof TransferStatusSchema>;

/** udata also transfers dataservices; Portail has datasets and reuses. */
export const TRANSFER_SUBJECT_CLASSES = ['Dataset', 'Reuse'] as const;
export type TransferSubjectClass = (typeof TRANSFER_SUBJECT_CLASSES)[number];
export const TRANSFER_RECIPIENT_CLASSES = ['User', 'Organization'] as const;
export type TransferRecipientClass = (typeof TRANSFER_RECIPIENT_CLASSES)[number];

const required = (expected: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'This field is required.' : expected;

const idInput = /* @__PURE__ */ lazySchema(() =>
  z
    .string({ error: required('Expected an id.') })
    .trim()
    .min(1, 'This field is required.')
    .max(300, 'Expected an id.'),
);

const subjectInput = /* @__PURE__ */ lazySchema(() =>
  z.object(
    {
      class: z.enum(TRANSFER_SUBJECT_CLASSES, {
        error: required('Unsupported subject: only a "Dataset" or a "Reuse" can be transferred.'),
      }),
      id: idInput,
    },
    { error: required('Expected an object {class, id}.') },
  ),
);

const recipientInput = /* @__PURE__ */ lazySchema(() =>
  z.object(
    {
      class: z.enum(TRANSFER_RECIPIENT_CLASSES, {
        error: required('Unknown recipient class: expected "User" or "Organization".'),
      }),
      id: idInput,
    },
    { error: required('Expected an object {class, id}.') },
  ),
);

/** `POST /api/1/transfer/` body (udata's `TransferRequest`). */
export const TransferCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      subject: subjectInput,
      recipient: recipientInput,
      comment: optionalString(MAX_TRANSFER_COMMENT_LENGTH),
    })
    .meta({ id: 'TransferInput' }),
);
export type TransferCreateInput = z.output<typeof TransferCreateInputSchema>;

/** `POST /api/1/transfer/{id}/` body (udata's `TransferResponse`). */
export const TransferRespondInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      response: z.enum(['accept', 'refuse'], { error: required('Expected "accept" or "refuse".') }),
      comment: optionalString(MAX_TRANSFER_COMMENT_LENGTH),
    })
    .meta({ id: 'TransferRespondInput' }),
);
export type TransferRespondInput = z.output<typeof TransferRespondInputSchema>;

/** The transfer as the domain knows it (and as the store keeps it, less its keys). */
export const TransferSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    /** What is transferred, with the title and slug it had when the transfer was asked. */
    subject: z.object({
      class: z.enum(TRANSFER_SUBJECT_CLASSES),
      id: z.string(),
      title: z.string(),
      slug: z.string(),
    }),
    /** Who owned the subject when the transfer was asked. */
    owner: PublisherSchema,
    recipient: PublisherSchema,
    comment: z.string().nullable(),
    status: TransferStatusSchema,
    created: isoDateTime,
    /** The user who asked (the owner, an admin of the owning organization, or a sysadmin). */
    requested_by: z.string(),
    responded: isoDateTime.nullable(),
    responder: MemberUserSchema.nullable(),
    response_comment: z.string().nullable(),
  }),
);
export type Transfer = z.infer<typeof TransferSchema>;

export function sameParty(a: Pick<Publisher, 'kind' | 'id'>, b: Pick<Publisher, 'kind' | 'id'>): boolean {
  return a.kind === b.kind && a.id === b.id;
}

/** A new pending transfer of a dataset (or a reuse) to `recipient`; refuses a transfer to the current owner. */
export function newTransfer(
  ids: { id: string; requestedBy: string },
  dataset: Pick<Dataset, 'id' | 'title' | 'slug' | 'publisher'>,
  recipient: Publisher,
  comment: string | null,
  now: Date,
  subjectClass: TransferSubjectClass = 'Dataset',
): Transfer {
  if (sameParty(dataset.publisher, recipient)) {
    throw ValidationError.field(
      'recipient',
      `The recipient already owns this ${subjectClass === 'Dataset' ? 'dataset' : 'reuse'}.`,
    );
  }
  return {
    id: ids.id,
    subject: { class: subjectClass, id: dataset.id, title: dataset.title, slug: dataset.slug },
    owner: dataset.publisher,
    recipient,
    comment,
    status: 'pending',
    created: now.toISOString(),
    requested_by: ids.requestedBy,
    responded: null,
    responder: null,
    response_comment: null,
  };
}

/** The answered transfer; only a pending transfer can be answered (udata's 400). */
export function answerTransfer(
  transfer: Transfer,
  response: TransferRespondInput['response'],
  responder: MemberUser,
  comment: string | null,
  now: Date,
): Transfer {
  if (transfer.status !== 'pending') {
    throw new ValidationError(
      `This transfer was already ${transfer.status}; only a pending transfer can be answered.`,
    );
  }
  return {
    ...transfer,
    status: response === 'accept' ? 'accepted' : 'refused',
    responded: now.toISOString(),
    responder,
    response_comment: comment,
  };
}

/**
 * The dataset once given to `recipient`. Refuses when it no longer belongs to the owner the transfer
 * was asked for (another transfer was accepted in between): the transfer is stale.
 */
export function transferDataset(
  dataset: Dataset,
  transfer: Transfer,
  recipient: Publisher,
  now: Date,
): Dataset {
  if (!sameParty(dataset.publisher, transfer.owner)) {
    throw new ValidationError(
      'The dataset changed owner since this transfer was asked; ask for a new transfer.',
    );
  }
  if (!sameParty(recipient, transfer.recipient)) {
    throw new Error('transferDataset: recipient does not match the transfer');
  }
  return {
    ...dataset,
    owner: recipient.kind === 'user' ? recipient.id : null,
    organization: recipient.kind === 'organization' ? recipient.id : null,
    publisher: recipient,
    last_modified: now.toISOString(),
    version: dataset.version + 1,
  };
}
