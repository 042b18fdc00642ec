import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { lazySchema } from '@portail/core';
import * as z from 'zod';
import { harvestConfig } from './config';

/**
 * A step of a run: read one page (at `cursor`) and write it; or finish the run (archive what the remote
 * no longer lists, from `cursor` on in the source's identity records); or start a scheduled run. The queue carries the cursor
 * from one step to the next, and the job's page items keep it too, so a repeated step is recognized.
 */
export const StepMessageSchema = /* @__PURE__ */ lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('page'),
      job: z.string(),
      source: z.string(),
      page: z.number().int().nonnegative(),
      cursor: z.string().nullable(),
    }),
    z.object({
      kind: z.literal('finish'),
      job: z.string(),
      source: z.string(),
      cursor: z.string().nullable(),
    }),
    /** Sent by the source's EventBridge Scheduler schedule when its expression fires: start a run. */
    z.object({ kind: z.literal('scheduled'), source: z.string() }),
  ]),
);
export type StepMessage = z.infer<typeof StepMessageSchema>;

let client: SQSClient | undefined;

export async function enqueueStep(message: StepMessage): Promise<void> {
  client ??= new SQSClient({});
  await client.send(
    new SendMessageCommand({
      QueueUrl: harvestConfig().HARVEST_STEPS_QUEUE_URL,
      MessageBody: JSON.stringify(message),
    }),
  );
}
