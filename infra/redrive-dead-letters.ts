/**
 * `npm run redrive:aws -- <dead-letter queue URL> <queue URL | function name>`: the deployed equivalent
 * of `npm run redrive`. Takes each message of a consumer's dead-letter queue (the stack outputs the
 * names) and hands the event back: a consumer of the bus gets it in its queue again (its event source
 * delivers it with the next batch); a consumer of log lines has its function invoked with it
 * (asynchronously, so Lambda's retries and the queue still apply). The message is deleted once the
 * event is handed back. Messages are either the event itself (EventBridge could not deliver it, or the
 * queue gave up on it) or Lambda's failure record around it (`requestPayload`); both are redriven.
 */
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';

export function eventOfDeadLetter(body: string): unknown {
  const parsed = JSON.parse(body) as { requestPayload?: unknown };
  return parsed && typeof parsed === 'object' && 'requestPayload' in parsed ? parsed.requestPayload : parsed;
}

/** A bus consumer's queue (`https://sqs.<region>.amazonaws.com/...`) rather than a function's name. */
export function isQueueUrl(target: string): boolean {
  return /^https:\/\/sqs\.[^/]+\/\d+\/[^/]+$/.test(target);
}

async function main() {
  const [queueUrl, target] = process.argv.slice(2);
  if (!queueUrl || !target) {
    console.error('usage: npm run redrive:aws -- <dead-letter queue URL> <queue URL | function name>');
    process.exit(2);
  }
  const sqs = new SQSClient({});
  const lambda = new LambdaClient({});
  let redriven = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
    );
    if (Messages.length === 0) break;
    for (const message of Messages) {
      const event = eventOfDeadLetter(message.Body ?? 'null');
      if (isQueueUrl(target))
        await sqs.send(new SendMessageCommand({ QueueUrl: target, MessageBody: JSON.stringify(event) }));
      else
        await lambda.send(
          new InvokeCommand({
            FunctionName: target,
            InvocationType: 'Event',
            Payload: new TextEncoder().encode(JSON.stringify(event)),
          }),
        );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      redriven += 1;
    }
  }
  console.log(`redriven: ${redriven} event(s) handed back to ${target}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error) => {
    console.error('redrive failed:', error);
    process.exit(1);
  });
}
