/**
 * `npm run reindex:aws -- <function name>`: the deployed equivalent of `npm run reindex`. Invokes the
 * stack's rebuild function (output `SearchRebuildFunctionName`), which fills a new index per kind from
 * the table while searches read the old one, then moves the alias to it in one `_aliases` call.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

async function main() {
  const [functionName] = process.argv.slice(2);
  if (!functionName) {
    console.error('usage: npm run reindex:aws -- <SearchRebuildFunctionName output of the stack>');
    process.exit(2);
  }
  const lambda = new LambdaClient({});
  const answer = await lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: 'RequestResponse' }),
  );
  const text = new TextDecoder().decode(answer.Payload);
  if (answer.FunctionError) {
    console.error(`[portail] reindex failed: ${text}`);
    process.exit(1);
  }
  console.log(`[portail] search indexes rebuilt: ${text}`);
}

main().catch((error) => {
  console.error('[portail] reindex failed:', error);
  process.exit(1);
});
