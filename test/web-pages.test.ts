import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';

/** A page as a browser or a crawler gets it: redirects are looked at, not followed. */
async function page(path: string) {
  const response = await fetch(api.url(path), { redirect: 'manual' });
  return { status: response.status, headers: response.headers, html: await response.text() };
}

function jsonLd(html: string): Record<string, unknown> {
  const found = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/.exec(html);
  expect(found, 'the page carries JSON-LD').not.toBeNull();
  return JSON.parse(found![1]!);
}

const attribute = (html: string, pattern: RegExp) => pattern.exec(html)?.[1];

let publisher: TestUser;
let publisherSlug: string;
let dataset: { id: string; slug: string; title: string; page: string };

beforeAll(async () => {
  publisher = await newUser();
  publisherSlug = (await api.getWith('/api/1/me/', publisher.headers)).json.slug;
  const created = await api.post(
    '/api/1/datasets/',
    {
      title: uniqueTitle('Qualité de l’air'),
      description: 'Mesures **horaires** des stations de la région, depuis 2020.',
      tags: ['air', 'pollution'],
      license: 'lov2',
      frequency: 'hourly',
      temporal_coverage: { start: '2020-01-01', end: '2024-12-31' },
      spatial: { zones: ['country:fr'], granularity: 'fr:departement' },
    },
    publisher.headers,
  );
  expect(created.status, created.text).toBe(201);
  dataset = created.json;
  const link = await api.post(
    `/api/1/datasets/${dataset.id}/resources/`,
    { title: 'Mesures 2024', url: 'https://example.org/mesures-2024.csv', type: 'main', format: 'csv' },
    publisher.headers,
  );
  expect(link.status, link.text).toBe(201);
});

describe('a dataset page', () => {
  it('is HTML at the API’s page link, with its title, canonical URL, hreflang and OpenGraph tags', async () => {
    expect(dataset.page).toBe(api.url(`/datasets/${dataset.slug}/`));
    const { status, headers, html } = await page(`/datasets/${dataset.slug}/`);
    expect(status, html).toBe(200);
    expect(headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(html).toContain(`<title>${dataset.title} · Portail</title>`);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain(`<link rel="canonical" href="${dataset.page}">`);
    expect(html).toContain(`<link rel="alternate" hreflang="fr" href="${dataset.page}">`);
    expect(html).toContain(
      `<link rel="alternate" hreflang="en" href="${api.url(`/en/datasets/${dataset.slug}/`)}">`,
    );
    expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${dataset.page}">`);
    expect(attribute(html, /<meta property="og:title" content="([^"]*)">/)).toBe(dataset.title);
    expect(attribute(html, /<meta property="og:url" content="([^"]*)">/)).toBe(dataset.page);
    expect(html).toContain('<strong>horaires</strong>');
    expect(html).toContain('Mesures 2024');
    expect(html).toContain(`href="${api.url(`/api/1/datasets/r/`)}`);
    // Readable without JavaScript: the page runs no script at all.
    expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)/);
  });

  it('describes the dataset as schema.org/Dataset JSON-LD with what dataset search engines read', async () => {
    const { html } = await page(`/datasets/${dataset.slug}/`);
    const ld = jsonLd(html);
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Dataset',
      name: dataset.title,
      url: dataset.page,
      keywords: ['air', 'pollution'],
      temporalCoverage: '2020-01-01/2024-12-31',
      creator: { '@type': 'Person', url: api.url(`/users/${publisherSlug}/`) },
      publisher: { '@type': 'Person' },
      distribution: [
        {
          '@type': 'DataDownload',
          name: 'Mesures 2024',
          contentUrl: 'https://example.org/mesures-2024.csv',
          encodingFormat: 'csv',
        },
      ],
    });
    expect(ld.description).toContain('Mesures horaires des stations');
    expect(ld.identifier).toContain(dataset.id);
    expect(String(ld.license)).toMatch(/^https?:\/\//);
    expect(ld.spatialCoverage).toMatchObject({ '@type': 'Place' });
    expect(Date.parse(String(ld.dateModified))).not.toBeNaN();
  });

  it('is in English under /en, with the French page as its alternate', async () => {
    const { status, html } = await page(`/en/datasets/${dataset.slug}/`);
    expect(status).toBe(200);
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<link rel="canonical" href="${api.url(`/en/datasets/${dataset.slug}/`)}">`);
    expect(html).toContain('Resources');
    expect(html).toContain(`<link rel="alternate" hreflang="fr" href="${dataset.page}">`);
  });

  it('moves for good (301) from its id, from a path without the slash and from a former slug', async () => {
    const byId = await page(`/datasets/${dataset.id}/`);
    expect(byId.status).toBe(301);
    expect(byId.headers.get('location')).toBe(dataset.page);
    const bare = await page(`/en/datasets/${dataset.slug}`);
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe(api.url(`/en/datasets/${dataset.slug}/`));

    const other = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Ancien titre'), description: 'Renamed soon.' },
      publisher.headers,
    );
    const renamed = await api.put(
      `/api/1/datasets/${other.json.id}/`,
      { title: uniqueTitle('Nouveau titre') },
      publisher.headers,
    );
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.slug).not.toBe(other.json.slug);
    const former = await page(`/datasets/${other.json.slug}/`);
    expect(former.status).toBe(301);
    expect(former.headers.get('location')).toBe(api.url(`/datasets/${renamed.json.slug}/`));
  });

  it('is a 404 while private and a 410 once deleted, never showing the dataset', async () => {
    const title = uniqueTitle('Brouillon secret');
    const hidden = await api.post(
      '/api/1/datasets/',
      { title, description: 'Not yet.', private: true },
      publisher.headers,
    );
    expect(hidden.status).toBe(201);
    for (const path of [`/datasets/${hidden.json.slug}/`, `/datasets/${hidden.json.id}/`]) {
      const answer = await page(path);
      expect(answer.status).toBe(404);
      expect(answer.html).not.toContain(title);
      expect(answer.html).toContain('noindex');
    }

    const doomedTitle = uniqueTitle('Bientôt supprimé');
    const doomed = await api.post(
      '/api/1/datasets/',
      { title: doomedTitle, description: 'Going.' },
      publisher.headers,
    );
    expect((await api.delete(`/api/1/datasets/${doomed.json.id}/`, publisher.headers)).status).toBe(204);
    const gone = await page(`/datasets/${doomed.json.slug}/`);
    expect(gone.status).toBe(410);
    expect(gone.html).not.toContain(doomedTitle);

    expect((await page('/datasets/no-such-dataset-anywhere/')).status).toBe(404);
  });

  it('escapes a hostile title everywhere: in the text, in attributes and in the JSON-LD', async () => {
    const hostile = `</title><script>alert(1)</script>"><img src=x onerror=alert(2)> ${uniqueTitle('x')}`;
    const created = await api.post(
      '/api/1/datasets/',
      { title: hostile, description: '<script>alert(3)</script> [click](javascript:alert(4))' },
      publisher.headers,
    );
    expect(created.status, created.text).toBe(201);
    const { status, html } = await page(`/datasets/${created.json.slug}/`);
    expect(status).toBe(200);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('href="javascript:');
    expect(html).toContain('&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(jsonLd(html).name).toBe(hostile);
  });

  it('shows the discussions opened since an earlier visit, by its slug as by a permalink to its id', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Comptages vélo'), description: 'Comptages horaires des vélos.' },
      publisher.headers,
    );
    expect(created.status, created.text).toBe(201);
    const { id, slug } = created.json as { id: string; slug: string };
    const first = await page(`/datasets/${slug}/`);
    expect(first.status).toBe(200);
    expect(first.html).toContain('Aucune discussion pour le moment.');

    const reuser = await newUser();
    const opened = await api.post(
      '/api/1/discussions/',
      {
        title: 'Station fermée',
        comment: 'La station *Gare* ne compte plus.',
        subject: { class: 'Dataset', id },
      },
      reuser.headers,
    );
    expect(opened.status, opened.text).toBe(201);
    for (const path of [`/datasets/${slug}/`, `/en/datasets/${slug}/`]) {
      const again = await page(path);
      expect(again.status).toBe(200);
      expect(again.html).toContain(`id="discussion-${opened.json.id}"`);
      expect(again.html).toContain('La station <em>Gare</em> ne compte plus.');
      expect(again.html).not.toContain('Aucune discussion pour le moment.');
    }
    // The permalink names the dataset by id: it moves to the slug, where the discussion is.
    expect((await page(`/datasets/${id}/`)).headers.get('location')).toBe(api.url(`/datasets/${slug}/`));
  });
});

describe('the other public pages', () => {
  it('show an organization, a user, a reuse, the home page and the search page', async () => {
    const organization = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Observatoire'), description: 'Un observatoire.' },
      publisher.headers,
    );
    expect(organization.status, organization.text).toBe(201);
    const orgPage = await page(`/organizations/${organization.json.slug}/`);
    expect(orgPage.status).toBe(200);
    expect(orgPage.html).toContain(organization.json.name);
    expect((await page(`/organizations/${organization.json.id}/`)).headers.get('location')).toBe(
      api.url(`/organizations/${organization.json.slug}/`),
    );

    const userPage = await page(`/users/${publisherSlug}/`);
    expect(userPage.status).toBe(200);
    expect(userPage.html).toContain(dataset.title);

    const reuse = await api.post(
      '/api/1/reuses/',
      {
        title: uniqueTitle('Carte de la pollution'),
        description: 'Une carte.',
        url: `https://example.org/carte-${Date.now()}`,
        type: 'visualization',
        topic: 'transport_and_mobility',
        datasets: [dataset.id],
      },
      publisher.headers,
    );
    expect(reuse.status, reuse.text).toBe(201);
    const reusePage = await page(`/reuses/${reuse.json.slug}/`);
    expect(reusePage.status).toBe(200);
    expect(reusePage.html).toContain(reuse.json.title);
    expect(reusePage.html).toContain(`href="/datasets/${dataset.slug}/"`);

    const home = await page('/');
    expect(home.status).toBe(200);
    expect(home.html).toContain('action="/datasets/"');
    expect((await page('/en')).headers.get('location')).toBe(api.url('/en/'));

    await drained();
    const words = dataset.title.split(' ').slice(-3).join(' ');
    const search = await page(`/datasets/?q=${encodeURIComponent(words)}`);
    expect(search.status).toBe(200);
    expect(search.html).toContain(`href="/datasets/${dataset.slug}/"`);
    expect(search.html).toContain('noindex');
  });

  it('list public datasets only in the sitemap, and robots.txt points to it', async () => {
    const secret = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Sitemap privé'), description: 'Hidden.', private: true },
      publisher.headers,
    );
    await drained();
    const robots = await page('/robots.txt');
    expect(robots.status).toBe(200);
    expect(robots.html).toContain(`Sitemap: ${api.url('/sitemap.xml')}`);
    const index = await page('/sitemap.xml');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toContain('xml');
    const parts = [...index.html.matchAll(/<loc>([^<]+)<\/loc>/g)].map((found) => found[1]!);
    expect(parts).toContain(api.url('/sitemaps/pages.xml'));
    let listed = '';
    for (const part of parts.filter((url) => url.includes('/sitemaps/datasets-'))) {
      const sitemap = await fetch(part);
      expect(sitemap.status).toBe(200);
      listed += await sitemap.text();
    }
    expect(listed).toContain(`<loc>${dataset.page}</loc>`);
    expect(listed).toContain(`hreflang="en" href="${api.url(`/en/datasets/${dataset.slug}/`)}"`);
    expect(listed).not.toContain(secret.json.slug);
  });
});

describe('the dataset page’s schema.org Dataset', () => {
  it('has what dataset search engines require, a 50 to 5,000 character description even when the producer wrote less', async () => {
    const created = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Arbres'), description: 'Les arbres.', license: 'lov2', frequency: 'annual' },
      publisher.headers,
    );
    expect(created.status, created.text).toBe(201);
    const long = await api.post(
      '/api/1/datasets/',
      { title: uniqueTitle('Long'), description: 'Une phrase assez longue. '.repeat(400), license: 'lov2' },
      publisher.headers,
    );
    expect(long.status, long.text).toBe(201);
    for (const { slug, description } of [created.json, long.json]) {
      const ld = jsonLd((await page(`/datasets/${slug}/`)).html);
      // Google Dataset Search's required properties: @type Dataset, name, and a description of 50 to 5,000 characters.
      expect(ld['@context']).toBe('https://schema.org');
      expect(ld['@type']).toBe('Dataset');
      expect(typeof ld.name).toBe('string');
      expect(String(ld.name).length).toBeGreaterThan(0);
      expect(String(ld.description).length).toBeGreaterThanOrEqual(50);
      expect(String(ld.description).length).toBeLessThanOrEqual(5000);
      expect(String(ld.description)).toContain(description.trim().slice(0, 10));
      expect(ld.url).toBe(api.url(`/datasets/${slug}/`));
      expect(String(ld.license)).toMatch(/^https?:\/\//);
    }
  });
});
