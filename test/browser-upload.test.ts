import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { launchChromium } from './browser/chromium';
import { api, uniqueTitle } from './client';

const PAGE = readFileSync(path.join(import.meta.dirname, 'browser/upload-page.html'), 'utf8');

let browser: Browser;
let pageServer: http.Server;
let pageOrigin: string;
let publisher: TestUser;

beforeAll(async () => {
  // The page lives on its own origin, as a front end would: the API and storage must allow it (CORS);
  // storage allows it because it is configured (ALLOWED_ORIGINS, test/global-setup.ts).
  pageServer = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(PAGE);
  });
  pageOrigin = inject('uploadPageOrigin');
  await new Promise<void>((resolve) =>
    pageServer.listen(Number(new URL(pageOrigin).port), '127.0.0.1', resolve),
  );
  browser = await launchChromium();
  publisher = await newUser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  // When Chromium is missing, beforeAll threw before the page server was made: nothing to close.
  if (pageServer) await new Promise((resolve) => pageServer.close(resolve));
});

function csv(bytes: number): Buffer {
  const lines = ['commune,population'];
  let size = lines[0]!.length + 1;
  for (let index = 0; size < bytes; index++) {
    const line = `Commune ${index},${(index * 37) % 100_000}`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

describe('a browser uploading a file', () => {
  it('sends it straight to storage with progress, and the resource appears with its size and checksum', async () => {
    const dataset = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Browser'), description: 'x' },
      publisher.headers,
    );
    expect(dataset.status).toBe(201);
    // Under the presigned POST limit the tests run with (MAX_UPLOAD_BYTES, 1 MiB): one form, one request.
    const bytes = csv(900 * 1024);
    const page = await browser.newPage();
    const query = new URLSearchParams({ api: api.url(''), key: publisher.apiKey, dataset: dataset.json.id });
    await page.goto(`${pageOrigin}/?${query}`);
    expect(new URL(page.url()).origin).not.toBe(new URL(api.url('')).origin);

    await page.setInputFiles('#file', { name: 'communes.csv', mimeType: 'text/csv', buffer: bytes });
    // Page-side code as strings: it runs in the browser, not in this process.
    await page.waitForFunction(
      "/^(Published|Refused|Error)/.test(document.getElementById('status').textContent)",
      null,
      {
        timeout: 30_000,
      },
    );
    expect(await page.textContent('#status')).toBe('Published: communes.csv');
    const progress = (await page.evaluate('window.progressEvents')) as number[];
    expect(progress.at(-1)).toBe(100);
    expect(await page.textContent('#percent')).toBe('100%');

    const resources = (await api.getWith(`/api/1/datasets/${dataset.json.id}/`, publisher.headers)).json
      .resources;
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({
      title: 'communes.csv',
      filetype: 'file',
      format: 'csv',
      filesize: bytes.length,
      checksum: { type: 'sha1', value: createHash('sha1').update(bytes).digest('hex') },
    });
    await page.close();
  }, 60_000);
});
