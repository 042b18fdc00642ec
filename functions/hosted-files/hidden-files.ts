import '@aws-sdk/signature-v4a';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import {
  CloudFrontKeyValueStoreClient,
  ConflictException,
  DescribeKeyValueStoreCommand,
  GetKeyCommand,
  ResourceNotFoundException,
  UpdateKeysCommand,
} from '@aws-sdk/client-cloudfront-keyvaluestore';
import { HIDDEN_FILES, lazySchema } from '@portail/core';
import * as z from 'zod';

/**
 * The `HiddenFiles` port: the ids (datasets, resources) whose hosted files the distribution must not
 * serve. Deployed, CloudFront's key value store that the files' viewer-request function reads;
 * locally, a JSON file the local server's copy of that function reads.
 */
export interface HiddenFiles {
  /** Makes every id of `hide` hidden and every id of `show` served again. */
  set(change: { hide: readonly string[]; show: readonly string[] }): Promise<void>;
  /** Whether an id is hidden. */
  has(id: string): Promise<boolean>;
}

const HiddenFilesEnvSchema = /* @__PURE__ */ lazySchema(() =>
  z.union([
    z.object({ HIDDEN_FILES_STORE_ARN: z.string().startsWith('arn:') }),
    z.object({ HIDDEN_FILES_FILE: z.string().min(1) }),
  ]),
);

/** Writes race with other functions on the store's version (its ETag): tried again this many times. */
const ATTEMPTS = 6;

/** CloudFront's key value store (its API signs with SigV4A, hence the signer imported above). */
export function keyValueStoreHiddenFiles(
  arn: string,
  client = new CloudFrontKeyValueStoreClient({}),
): HiddenFiles {
  const has = async (id: string) => {
    try {
      await client.send(new GetKeyCommand({ KvsARN: arn, Key: id }));
      return true;
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return false;
      throw error;
    }
  };
  return {
    has,
    async set(change) {
      // Only what differs from the store is written: deleting an absent key is an error.
      const puts: { Key: string; Value: string }[] = [];
      for (const id of change.hide) if (!(await has(id))) puts.push({ Key: id, Value: HIDDEN_FILES.value });
      const deletes: { Key: string }[] = [];
      for (const id of change.show) if (await has(id)) deletes.push({ Key: id });
      if (puts.length === 0 && deletes.length === 0) return;
      for (let attempt = 1; ; attempt += 1) {
        const { ETag } = await client.send(new DescribeKeyValueStoreCommand({ KvsARN: arn }));
        try {
          await client.send(
            new UpdateKeysCommand({
              KvsARN: arn,
              IfMatch: ETag,
              ...(puts.length ? { Puts: puts } : {}),
              ...(deletes.length ? { Deletes: deletes } : {}),
            }),
          );
          return;
        } catch (error) {
          if (!(error instanceof ConflictException) || attempt >= ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt * Math.random()));
        }
      }
    },
  };
}

const HiddenFileSchema = /* @__PURE__ */ lazySchema(() => z.record(z.string(), z.string()));

/** Reads the local store's file: `{ "<id>": "hidden" }`, empty when it is not there yet. */
export function readHiddenFile(file: string): Record<string, string> {
  try {
    return HiddenFileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
}

/** The local store: one JSON file, rewritten whole (synchronously, so writers in one process never interleave). */
export function fileHiddenFiles(file: string): HiddenFiles {
  return {
    async has(id) {
      return id in readHiddenFile(file);
    },
    async set(change) {
      const store = readHiddenFile(file);
      const unchanged =
        change.hide.every((id) => store[id] === HIDDEN_FILES.value) &&
        change.show.every((id) => !(id in store));
      if (unchanged) return;
      for (const id of change.hide) store[id] = HIDDEN_FILES.value;
      for (const id of change.show) delete store[id];
      writeFileSync(`${file}.tmp`, JSON.stringify(store));
      renameSync(`${file}.tmp`, file);
    },
  };
}

let cached: HiddenFiles | undefined;

/** The store this function is configured with, chosen once. */
export function hiddenFiles(): HiddenFiles {
  if (!cached) {
    const parsed = HiddenFilesEnvSchema.safeParse(process.env);
    if (!parsed.success) {
      throw new Error('Missing environment variable: HIDDEN_FILES_STORE_ARN (or HIDDEN_FILES_FILE locally)');
    }
    cached =
      'HIDDEN_FILES_STORE_ARN' in parsed.data
        ? keyValueStoreHiddenFiles(parsed.data.HIDDEN_FILES_STORE_ARN)
        : fileHiddenFiles(parsed.data.HIDDEN_FILES_FILE);
  }
  return cached;
}
