/**
 * `npm start`: the whole platform on this machine. Configure with PORT (3000), DYNAMODB_PORT (8000),
 * S3_PORT (4569) and PORTAIL_DATA_DIR (.data); Ctrl-C stops everything, DynamoDB Local included.
 */
import path from 'node:path';
import * as z from 'zod';
import { REPOSITORY_ROOT, startPlatform } from './platform';
import { StartupError } from './processes';

const port = (fallback: number) => z.coerce.number().int().min(1).max(65_535).default(fallback);
const EnvSchema = z.object({
  PORT: port(3000),
  DYNAMODB_PORT: port(8000),
  S3_PORT: port(4569),
  PORTAIL_DATA_DIR: z.string().default('.data'),
});

async function main() {
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    throw new StartupError(
      `Invalid environment: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    );
  }
  const env = parsed.data;
  const dataDirectory = path.resolve(REPOSITORY_ROOT, env.PORTAIL_DATA_DIR);
  const log = (line: string) => console.log(`[portail] ${line}`);
  log('starting DynamoDB Local, S3 (s3rver), the event bus and the API…');
  const platform = await startPlatform({
    apiPort: env.PORT,
    dynamoDbPort: env.DYNAMODB_PORT,
    s3Port: env.S3_PORT,
    dataDirectory,
    log,
  });
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping…`);
    await platform.stop();
    log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  log(`data in ${dataDirectory}`);
  log(
    `DynamoDB Local ${platform.dynamoDbEndpoint} · S3 ${platform.s3Endpoint} · events ${platform.eventsFile}`,
  );
  log(`ready: API on http://localhost:${env.PORT}/api/1/ (OpenAPI: /api/1/swagger.json). Ctrl-C to stop.`);
  log(`producer workspace: http://localhost:${env.PORT}/admin/`);
}

main().catch((error) => {
  if (error instanceof StartupError) {
    console.error(`[portail] cannot start: ${error.message}`);
  } else {
    console.error('[portail] cannot start:', error);
  }
  process.exit(1);
});
