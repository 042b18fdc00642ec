import { fromEnv } from '@aws-sdk/credential-provider-env';
import { Sha256 } from '@smithy/core/checksum';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler, streamCollector } from '@smithy/node-http-handler';
import { SignatureV4 } from '@smithy/signature-v4';

/**
 * A secret's text, by one Secrets Manager GetSecretValue call signed with the SDK's own SigV4 signer and
 * sent with its HTTP handler (both already in every bundle for the DynamoDB client): the Secrets Manager
 * client would add about 31 KiB to each function that resolves callers, for this single call at cold
 * start. Imported only when a secret is read, so the local platform never loads it; the endpoint can be
 * overridden like any client's (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 */
export async function getSecretValue(arn: string): Promise<string | undefined> {
  const region = process.env.AWS_REGION ?? arn.split(':')[3] ?? '';
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const endpoint = new URL(
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? `https://secretsmanager.${region}.${domain}`,
  );
  const request = new HttpRequest({
    method: 'POST',
    protocol: endpoint.protocol,
    hostname: endpoint.hostname,
    ...(endpoint.port ? { port: Number(endpoint.port) } : {}),
    path: endpoint.pathname,
    headers: {
      host: endpoint.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'secretsmanager.GetSecretValue',
    },
    body: JSON.stringify({ SecretId: arn }),
  });
  const signer = new SignatureV4({
    service: 'secretsmanager',
    region,
    credentials: fromEnv(),
    sha256: Sha256,
  });
  const handler = new NodeHttpHandler({ requestTimeout: 5000 });
  try {
    const { response } = await handler.handle((await signer.sign(request)) as typeof request);
    const text = Buffer.from(await streamCollector(response.body)).toString('utf8');
    const answer = JSON.parse(text || '{}') as { SecretString?: string; __type?: string; message?: string };
    if (response.statusCode !== 200) {
      throw new Error(
        `Secrets Manager answered ${response.statusCode} to GetSecretValue: ${answer.__type ?? ''} ${answer.message ?? ''}`.trim(),
      );
    }
    return answer.SecretString;
  } finally {
    handler.destroy();
  }
}
