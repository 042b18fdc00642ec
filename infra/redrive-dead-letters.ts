/**
 * `npm run redrive:aws -- <dead-letter queue URL> <function name>`: the deployed equivalent of
 * `npm run redrive`. Takes each message of a consumer's dead-letter queue (the stack outputs both
 * names), invokes the consumer's function with the event again (asynchronously, so Lambda's retries
 * and the queue still apply) and deletes the message once Lambda has accepted it. Messages are either
 * the event itself (EventBridge could not deliver it) or Lambda's failure record around it
 * (`requestPayload`, the function failed after its retries); both are redriven.
 */
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';

export function eventOfDeadLetter(body: string): unknown {
  const parsed = JSON.parse(body) as { requestPayload?: unknown };
  return parsed && typeof parsed === 'object' && 'requestPayload' in parsed ? parsed.requestPayload : parsed;
}

async function main() {
  const [queueUrl, functionName] = process.argv.slice(2);
  if (!queueUrl || !functionName) {
    console.error('usage: npm run redrive:aws -- <dead-letter queue URL> <function name>');
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
      await lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      redriven += 1;
    }
  }
  console.log(`redriven: ${redriven} event(s) handed back to ${functionName}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((error) => {
    console.error('redrive failed:', error);
    process.exit(1);
  });
}
