import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { launchChromium } from './browser/chromium';
import { api, uniqueTitle } from './client';

/**
 * The embeddable card (seed §5.1): a host page on another origin asks oEmbed for two datasets, inserts
 * the cards and restyles them through `.dataset-card`; a hostile description stays text.
 */

/** The host page: its own styles on `.dataset-card`, two cards from oEmbed, and an iframe of a card page. */
const HOST_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Host</title>
<style>.dataset-card { background-color: rgb(255, 240, 200); border-color: rgb(200, 0, 0); }</style></head>
<body><div id="cards"></div><iframe id="frame" width="600" height="200"></iframe>
<script>
  const params = new URLSearchParams(location.search);
  const api = params.get('api');
  Promise.all(params.getAll('dataset').map(async (url) => {
    const answer = await fetch(api + '/api/1/oembed?url=' + encodeURIComponent(url));
    const body = await answer.json();
    const holder = document.createElement('div');
    holder.innerHTML = body.html;
    document.getElementById('cards').appendChild(holder);
  })).then(() => {
    document.getElementById('frame').src = params.get('frame');
    window.cardsInserted = true;
  }, (error) => { window.cardsError = String(error); });
</script></body></html>`;

let browser: Browser;
let hostServer: http.Server;
let hostOrigin: string;
let producer: TestUser;
const datasets: { id: string; slug: string; title: string }[] = [];

beforeAll(async () => {
  hostServer = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(HOST_PAGE);
  });
  await new Promise<void>((resolve) => hostServer.listen(0, '127.0.0.1', resolve));
  hostOrigin = `http://127.0.0.1:${(hostServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
  producer = await newUser();
  for (const description of [
    'Counts by **municipality**, see [the method](https://example.org/method).',
    'Hostile: <img src=x onerror="window.pwned=1"><script>window.pwned=2</script> "quotes" & ampersands.',
  ]) {
    const title = uniqueTitle('Card <b>bold</b>');
    const created = await api.post('/api/1/datasets/', { title, description }, producer.headers);
    expect(created.status, created.text).toBe(201);
    datasets.push({ id: created.json.id, slug: created.json.slug, title });
    await api.post(
      `/api/1/datasets/${created.json.id}/resources/`,
      { title: 'Data', url: 'https://example.org/data.csv', filetype: 'remote', format: 'csv' },
      producer.headers,
    );
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (hostServer) await new Promise((resolve) => hostServer.close(resolve));
});

describe('the embeddable card', () => {
  it('shows two restyled cards on a host page of another origin, hostile text staying text', async () => {
    const query = new URLSearchParams({ api: api.url('') });
    for (const dataset of datasets) query.append('dataset', api.url(`/datasets/${dataset.slug}/`));
    query.set('frame', api.url(`/embed/datasets/${datasets[0]!.id}`));
    const page = await browser.newPage();
    try {
      await page.goto(`${hostOrigin}/?${query}`);
      await page.waitForFunction('window.cardsInserted === true || window.cardsError', undefined, {
        timeout: 20_000,
      });
      expect(await page.evaluate('window.cardsError')).toBeUndefined();
      const cards = page.locator('#cards .dataset-card');
      expect(await cards.count()).toBe(2);
      for (let index = 0; index < 2; index++) {
        const card = cards.nth(index);
        const style = await card.evaluate((element) => {
          // Runs in the page, where the DOM's getComputedStyle exists.
          const { getComputedStyle } = globalThis as unknown as {
            getComputedStyle(node: unknown): { backgroundColor: string; borderTopColor: string };
          };
          const computed = getComputedStyle(element);
          return { background: computed.backgroundColor, border: computed.borderTopColor };
        });
        expect(style).toEqual({ background: 'rgb(255, 240, 200)', border: 'rgb(200, 0, 0)' });
        expect(await card.locator('.dataset-card__resources').textContent()).toBe('1 resource');
      }
      const texts = await cards.allTextContents();
      expect(texts.some((text) => text.includes(datasets[0]!.title))).toBe(true);
      expect(texts.some((text) => text.includes('Counts by municipality, see the method.'))).toBe(true);
      expect(await page.locator('#cards img, #cards script').count()).toBe(0);
      expect(await page.evaluate('window.pwned')).toBeUndefined();
      const link = await cards.first().locator('a').getAttribute('href');
      expect(link).toContain('/datasets/');

      const frame = page.frameLocator('#frame');
      await expect.poll(() => frame.locator('.dataset-card').count(), { timeout: 20_000 }).toBe(1);
    } finally {
      await page.close();
    }
  });

  it('answers oEmbed as udata did, with the snippet in the dataset', async () => {
    const [first] = datasets;
    const answer = await api.get(
      `/api/1/oembed?url=${encodeURIComponent(api.url(`/datasets/${first!.slug}/`))}&maxwidth=400`,
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ type: 'rich', version: '1.0', width: 400, maxwidth: 400 });
    expect(answer.json.html).toMatch(/^<article class="dataset-card"/);
    expect(answer.json.html).toContain('Card &lt;b&gt;bold&lt;/b&gt;');
    const page = await api.get(`/embed/datasets/${first!.id}`);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const dataset = await api.get(`/api/1/datasets/${first!.id}/`);
    expect(dataset.json.embed.html).toContain(`/embed/datasets/${first!.id}`);
    expect(dataset.json.embed.oembed).toContain('/api/1/oembed?url=');
  });

  it('refuses URLs that are not datasets of this portal, private datasets and other formats', async () => {
    const draft = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Draft card'), description: 'x', private: true },
      producer.headers,
    );
    const cases: [string, number][] = [
      ['https://elsewhere.example.org/datasets/abc/', 400],
      ['not a url', 400],
      [api.url('/api/1/organizations/abc/'), 400],
      [api.url('/datasets/no-such-dataset/'), 404],
      [api.url(`/datasets/${draft.json.id}/`), 404],
    ];
    for (const [url, status] of cases) {
      const answer = await api.getWith(`/api/1/oembed?url=${encodeURIComponent(url)}`, producer.headers);
      expect(answer.status, url).toBe(status);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
    }
    expect((await api.get('/api/1/oembed')).status).toBe(400);
    const xml = await api.get(
      `/api/1/oembed?format=xml&url=${encodeURIComponent(api.url(`/datasets/${datasets[0]!.id}/`))}`,
    );
    expect(xml.status).toBe(400);
    expect((await api.getWith(`/embed/datasets/${draft.json.id}`, producer.headers)).status).toBe(404);
    await api.delete(`/api/1/datasets/${datasets[1]!.id}/`, producer.headers);
    expect((await api.get(`/embed/datasets/${datasets[1]!.id}`)).status).toBe(410);
    datasets.pop();
  });
});
