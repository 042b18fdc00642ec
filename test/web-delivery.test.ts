import {
  CACHE_CONTROL,
  PAGE_HEADERS,
  serializeCsp,
  workspaceAssetHeaders,
  workspaceCsp,
  workspaceHtmlHeaders,
} from '@portail/web/delivery';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './browser/workspace-browser';
import { api } from './client';

/**
 * The local server sends the headers the CloudFront distribution sends deployed (both read
 * `@portail/web/delivery`; infra/web-distribution.test.ts checks the distribution's side).
 */
const headersOf = (response: Response, names: string[]) =>
  Object.fromEntries(names.map((name) => [name, response.headers.get(name)]));

/** The uploads endpoint the workspace may send files to: locally s3rver, deployed the bucket. */
function storageOrigin(csp: string | null): string {
  const connect = /connect-src 'self' (\S+?)(;|$)/.exec(csp ?? '');
  expect(connect, `connect-src names the uploads endpoint: ${csp}`).not.toBeNull();
  return connect![1]!;
}

describe('the workspace’s headers, locally as deployed', () => {
  it('sends index.html with the workspace’s CSP, revalidated every time', { timeout: 60_000 }, async () => {
    for (const path of ['/admin/', '/admin/datasets/new']) {
      const response = await fetch(api.url(path));
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const storage = storageOrigin(response.headers.get('content-security-policy'));
      expect(new URL(storage).hostname).toMatch(/^(localhost|127\.0\.0\.1)$/);
      const expected = workspaceHtmlHeaders(storage);
      expect(headersOf(response, Object.keys(expected)), path).toEqual(expected);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toBe(serializeCsp(workspaceCsp(storage)));
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self';");
      await response.text();
    }
  });

  it('sends hashed files as immutable for a year', { timeout: 60_000 }, async () => {
    const index = await fetch(api.url('/admin/'));
    const html = await index.text();
    const storage = storageOrigin(index.headers.get('content-security-policy'));
    const scripts = [...html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script).toMatch(/^\/admin\/assets\//);
      const response = await fetch(api.url(script));
      expect(response.status, script).toBe(200);
      const expected = workspaceAssetHeaders(storage);
      expect(headersOf(response, Object.keys(expected)), script).toEqual(expected);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      await response.arrayBuffer();
    }
  });
});

describe('the public pages’ headers, locally as deployed', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('sends the pages’ CSP and a minute of cache', async () => {
    const response = await fetch(api.url('/'));
    expect(response.status).toBe(200);
    expect(headersOf(response, Object.keys(PAGE_HEADERS))).toEqual(PAGE_HEADERS);
    expect(response.headers.get('cache-control')).toBe(CACHE_CONTROL.publicPage);
    expect(response.headers.get('content-security-policy')).not.toContain('unsafe');
    await response.text();
  });

  it('styles a page with its inline stylesheet under that CSP, and the browser refuses nothing', {
    timeout: 60_000,
  }, async () => {
    const page = await browser.newPage();
    try {
      const violations: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
      });
      await page.addInitScript(
        "document.addEventListener('securitypolicyviolation', (event) => console.error('Content Security Policy violation: ' + event.violatedDirective + ' ' + event.blockedURI))",
      );
      const response = await page.goto(api.url('/'));
      expect(response?.status()).toBe(200);
      // The stylesheet applied: the page's header is laid out as a flex row by it.
      const display = await page
        .locator('header')
        .first()
        .evaluate((header) => {
          // Runs in the page, where the DOM's getComputedStyle exists.
          const { getComputedStyle } = globalThis as unknown as {
            getComputedStyle(node: unknown): { display: string };
          };
          return getComputedStyle(header).display;
        });
      expect(display).toBe('flex');
      expect(violations).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
