import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    controlUrl: string;
    dynamoDbEndpoint: string;
    tableName: string;
    eventsFile: string;
    mailDirectory: string;
    s3Endpoint: string;
    bucketName: string;
    maxUploadBytes: number;
    /** The harvest step queue, where a source's deployed EventBridge Scheduler schedule sends its message. */
    harvestStepsQueueUrl: string;
    responseCheckFile: string;
    /** The value by which functions believe CloudFront's viewer address (the distribution's, deployed). */
    originSecret: string;
    /** Another origin than the site's, configured as allowed to upload (ALLOWED_ORIGINS). */
    uploadPageOrigin: string;
  }
}

/**
 * One local platform for the whole integration run: real DynamoDB Local, real s3rver, real HTTP.
 * Ports are picked free so a developer's own `npm start` can keep running beside the tests.
 */
export default async function setup(project: TestProject) {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
  // A small single-POST limit, so tests cross it (and go multipart) with files of a few MiB.
  process.env.MAX_UPLOAD_BYTES ??= String(1024 * 1024);
  // The suite signs hundreds of people up from this one address; the throttle tests connect from other
  // loopback addresses, which get the per-address limits as deployed.
  process.env.THROTTLE_EXEMPT_ADDRESSES ??= '127.0.0.1';
  // The spam rule's banned list, as an operator configures it.
  process.env.SPAM_BANNED_WORDS ??= 'casino en ligne, pilulesmiracle';
  // Hourly digests gather five seconds: a test sees its digest without waiting an hour.
  process.env.DIGEST_HOURLY_SECONDS ??= '5';
  // Password hashes at scrypt 2^10 instead of 2^15: the suite signs up hundreds of accounts.
  process.env.PASSWORD_COST ??= '10';
  // Webhook retries on a schedule ten thousand times shorter (30 s → 3 ms, the whole day → 8 s).
  process.env.WEBHOOK_RETRY_DELAY_SCALE ??= '0.0001';
  // New links are due at the next availability run on `npm start`; the suite's links point to hosts that
  // do not exist, so here only the links a test asks for are checked (npm-start.test.ts checks the cycle).
  process.env.AVAILABILITY_FIRST_CHECK_SECONDS ??= '3600';
  const { freePort, startPlatform } = await import('@portail/local');
  // A page on another origin sends files straight to storage (test/browser-upload.test.ts): allowed by
  // configuration, as a partner's front end is deployed (`allowedOrigins`); other origins are refused.
  const uploadPageOrigin = `http://localhost:${await freePort()}`;
  process.env.ALLOWED_ORIGINS = [process.env.ALLOWED_ORIGINS, uploadPageOrigin].filter(Boolean).join(',');
  const dataDirectory = mkdtempSync(path.join(tmpdir(), 'portail-test-'));
  const responseCheckFile = path.join(dataDirectory, 'response-check.jsonl');
  const platform = await startPlatform({
    apiPort: await freePort(),
    dynamoDbPort: await freePort(),
    s3Port: await freePort(),
    dataDirectory,
    // PORTAIL_TEST_LOG=<file> keeps the platform's log of the run (drains, dead letters, consumer errors).
    log: process.env.PORTAIL_TEST_LOG
      ? (line) =>
          appendFileSync(process.env.PORTAIL_TEST_LOG as string, `${new Date().toISOString()} ${line}\n`)
      : () => undefined,
    runSchedules: false,
    // The suite's platform is never restarted on its data: tables in memory, writes without disk.
    dynamoDbInMemory: true,
    // Every API answer is checked against its route's declaration (test/response-check.ts).
    responseCheckFile,
  });
  project.provide('apiUrl', platform.apiUrl);
  project.provide('controlUrl', platform.controlUrl);
  project.provide('dynamoDbEndpoint', platform.dynamoDbEndpoint);
  project.provide('tableName', platform.tableName);
  project.provide('eventsFile', platform.eventsFile);
  project.provide('mailDirectory', platform.mailDirectory);
  project.provide('s3Endpoint', platform.s3Endpoint);
  project.provide('bucketName', platform.bucketName);
  project.provide('maxUploadBytes', Number(process.env.MAX_UPLOAD_BYTES));
  // Set by the platform from the consumer table's queue line.
  project.provide('harvestStepsQueueUrl', process.env.HARVEST_STEPS_QUEUE_URL as string);
  project.provide('responseCheckFile', responseCheckFile);
  // Set by the platform from its secrets file.
  project.provide('originSecret', process.env.ORIGIN_SECRET as string);
  project.provide('uploadPageOrigin', uploadPageOrigin);
  return async () => {
    await platform.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  };
}
