import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { UPLOADS_BUCKET } from '@portail/core';
import S3rver from 's3rver';

export interface S3Local {
  endpoint: string;
  /** S3 event notifications (`{ Records: [...] }`), as s3rver emits them on ObjectCreated/Removed. */
  events: EventEmitter;
  stop(): Promise<void>;
}

/** The uploads bucket's CORS rules from the shared definition, as the XML s3rver reads. */
function corsXml(): string {
  const { cors } = UPLOADS_BUCKET;
  return [
    '<CORSConfiguration><CORSRule>',
    '<AllowedOrigin>*</AllowedOrigin>',
    ...cors.allowedMethods.map((method) => `<AllowedMethod>${method}</AllowedMethod>`),
    ...cors.allowedHeaders.map((header) => `<AllowedHeader>${header}</AllowedHeader>`),
    ...cors.exposedHeaders.map((header) => `<ExposeHeader>${header}</ExposeHeader>`),
    `<MaxAgeSeconds>${cors.maxAgeSeconds}</MaxAgeSeconds>`,
    '</CORSRule></CORSConfiguration>',
  ].join('');
}

/** s3rver in this process, files under `directory`, with the uploads bucket created and its CORS set. */
export async function startS3Local(options: {
  port: number;
  directory: string;
  bucket: string;
}): Promise<S3Local> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [corsXml()] }],
  });
  const events = new EventEmitter();
  server.on('event', (event: unknown) => events.emit('event', event));
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    events,
    async stop() {
      await server.close();
    },
  };
}
