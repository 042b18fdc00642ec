/** Routes of the `transfers` group (one Lambda function): asking to give a dataset away, and answering. */
import {
  lazySchema,
  TRANSFER_SUBJECT_CLASSES,
  TransferCreateInputSchema,
  TransferRespondInputSchema,
  TransferResponseSchema,
  TransferStatusSchema,
} from '@portail/core';
import { defineGroup } from '@portail/http';
import * as z from 'zod';

const transferParams = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string().min(1).max(64).meta({ description: 'The transfer id.' }),
  }),
);

const tags = ['transfers'];

export const transferRoutes = defineGroup('transfers', {
  listTransfers: {
    method: 'GET',
    path: '/api/1/transfer/',
    summary: 'The transfers concerning me, newest first',
    description:
      'Transfers asked by the caller or by their organizations, and transfers addressed to the caller or to organizations they administer. A plain list, as udata answers.',
    tags,
    access: 'authenticated',
    query: /* @__PURE__ */ lazySchema(() =>
      z.object({
        status: TransferStatusSchema.optional(),
        subject: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .meta({ description: 'Only the transfers of this object id.' }),
        subject_type: z
          .enum(TRANSFER_SUBJECT_CLASSES, { error: 'Unsupported subject type: "Dataset" or "Reuse".' })
          .optional(),
        recipient: z
          .string()
          .min(1)
          .max(64)
          .optional()
          .meta({ description: 'Only the transfers addressed to this user or organization id.' }),
      }),
    ),
    responses: {
      200: {
        description: 'The transfers.',
        schema: /* @__PURE__ */ lazySchema(() => z.array(TransferResponseSchema)),
      },
    },
  },
  requestTransfer: {
    method: 'POST',
    path: '/api/1/transfer/',
    summary: 'Ask to give a dataset or a reuse to another user or organization',
    description:
      'Its owner, or an admin of the organization owning it. The recipient answers with `POST /api/1/transfer/{id}/`.',
    tags,
    access: 'authenticated',
    body: TransferCreateInputSchema,
    responses: {
      201: { description: 'The pending transfer.', schema: TransferResponseSchema },
      400: { description: 'Unknown subject or recipient, or the recipient already owns the dataset.' },
      403: { description: 'Neither the owner nor an admin of the owning organization.' },
      410: { description: 'The dataset was deleted.' },
    },
  },
  getTransfer: {
    method: 'GET',
    path: '/api/1/transfer/{id}/',
    summary: 'A transfer',
    description: 'The owning side (the user, or members of the organization) and whoever may answer it.',
    tags,
    access: 'authenticated',
    params: transferParams,
    responses: {
      200: { description: 'The transfer.', schema: TransferResponseSchema },
      403: { description: 'The transfer does not concern the caller.' },
    },
  },
  respondToTransfer: {
    method: 'POST',
    path: '/api/1/transfer/{id}/',
    summary: 'Accept or refuse a transfer',
    description:
      'The recipient user, or an admin of the recipient organization. Accepting gives the dataset (or the reuse) to the recipient at once.',
    tags,
    access: 'authenticated',
    params: transferParams,
    body: TransferRespondInputSchema,
    responses: {
      200: { description: 'The answered transfer.', schema: TransferResponseSchema },
      400: { description: 'The transfer was already answered, or the dataset changed owner since.' },
      403: { description: 'Neither the recipient nor an admin of the recipient organization.' },
      410: { description: 'The dataset, or the recipient, was deleted.' },
    },
  },
});
