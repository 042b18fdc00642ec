import { readFileSync } from 'node:fs';
import path from 'node:path';
import { safeIri } from '@portail/core';
import { readDcatDocument } from '@portail/harvest';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { beforeAll, describe, expect, it } from 'vitest';
import { newUser, type TestUser } from './accounts';
import { api, drained, uniqueTitle } from './client';
import { finishedJob } from './harvest-jobs';

/**
 * Portail's catalogue as other portals harvest it: DCAT-AP 3.0 in four syntaxes, paged with Hydra,
 * checked against the DCAT-AP SHACL shapes, with private datasets left out.
 */
const SHAPES = path.join(import.meta.dirname, '../../shared/reference/dcat-ap-3.0.0-shacl.ttl');
const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const HYDRA = 'http://www.w3.org/ns/hydra/core#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

let producer: TestUser;
let org: { id: string; slug: string };
const datasets: { id: string; title: string }[] = [];
let privateId: string;
/** Each dataset's granularity and its second resource's type: every value travels through the export. */
const GRANULARITIES = ['country', 'fr:commune', 'other'] as const;
const OTHER_TYPES = ['documentation', 'api', 'code'] as const;

function parse(text: string, format: 'text/turtle' | 'application/n-triples'): Store {
  return new Store(new Parser({ format }).parse(text));
}

const objects = (store: Store, subject: string | null, predicate: string) =>
  store.getObjects(subject, predicate, null).map((term) => term.value);

beforeAll(async () => {
  producer = await newUser();
  const created = await api.post(
    '/api/1/organizations/',
    { name: uniqueTitle('Catalogue org'), description: 'Publishes for the catalogue test.' },
    producer.headers,
  );
  org = { id: created.json.id, slug: created.json.slug };
  for (const [index, title] of [
    uniqueTitle('Population "census" <2024> & more'),
    uniqueTitle('Bad\u0001chars\u000b in title'),
    uniqueTitle('Third'),
  ].entries()) {
    const dataset = await api.post(
      '/api/1/datasets/',
      {
        title,
        description: `Description ${index}: counts by municipality.\nSecond line with a \\ backslash.`,
        organization: org.id,
        license: 'lov2',
        frequency: 'annual',
        tags: ['population', `tag-${index}`],
        temporal_coverage: { start: '2020-01-01', end: '2024-12-31' },
        spatial: { zones: ['country:fr'], granularity: GRANULARITIES[index] },
      },
      producer.headers,
    );
    expect(dataset.status, dataset.text).toBe(201);
    // A title is kept on one line: its control characters never reach the catalogue (those of data
    // stored before are replaced on export, packages/core/src/dcat).
    expect(dataset.json.title).toBe(title.replaceAll('\u0001', '').replaceAll('\u000b', ' '));
    datasets.push({ id: dataset.json.id, title: dataset.json.title });
    const link = await api.post(
      `/api/1/datasets/${dataset.json.id}/resources/`,
      {
        title: `File ${index}`,
        url: `https://data.example.org/files/population ${index}.csv?year=2024&x={y}`,
        filetype: 'remote',
        format: 'csv',
        mime: 'text/csv',
        filesize: 1234,
        description: 'One line per municipality.',
        checksum: { type: 'sha1', value: 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3' },
        type: 'main',
      },
      producer.headers,
    );
    expect(link.status, link.text).toBe(201);
    const other = await api.post(
      `/api/1/datasets/${dataset.json.id}/resources/`,
      {
        title: `Notice ${index}`,
        url: `https://data.example.org/files/notice-${index}.pdf`,
        filetype: 'remote',
        format: 'pdf',
        description: 'How the counts are made.',
        type: OTHER_TYPES[index],
      },
      producer.headers,
    );
    expect(other.status, other.text).toBe(201);
  }
  const hidden = await api.post(
    '/api/1/datasets/',
    { title: uniqueTitle('Draft'), description: 'Not yet.', organization: org.id, private: true },
    producer.headers,
  );
  privateId = hidden.json.id;
}, 60_000);

describe('the DCAT catalogue', () => {
  it('passes the DCAT-AP 3.0 shapes, in Turtle', async () => {
    const response = await api.get(`/api/1/site/catalog.ttl?organization=${org.id}`);
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/turtle/);
    const data = parse(response.text, 'text/turtle');
    const shapes = parse(readFileSync(SHAPES, 'utf8'), 'text/turtle');
    const report = await new SHACLValidator(shapes).validate(data);
    const problems = report.results.map((result) => ({
      focus: result.focusNode?.value,
      path: result.path?.value,
      message: result.message.map((m) => m.value).join(' '),
    }));
    expect(problems).toEqual([]);
    expect(report.conforms).toBe(true);
    expect(data.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null)).toHaveLength(3);
    // What the producer is shown agrees with the shapes: nothing left to fix for these datasets.
    for (const { id } of datasets) {
      const read = await api.get(`/api/1/datasets/${id}/`);
      expect(read.json.quality.dcat_ap).toEqual({ conforms: true, violations: [] });
    }
  });

  it('says the same thing in every syntax, by extension and by Accept', async () => {
    const turtle = await api.get(`/api/1/site/catalog.ttl?organization=${org.id}`);
    const triples = await api.get(`/api/1/site/catalog.nt?organization=${org.id}`);
    expect(triples.headers.get('content-type')).toMatch(/^application\/n-triples/);
    const fromTurtle = parse(turtle.text, 'text/turtle');
    const fromTriples = parse(triples.text, 'application/n-triples');
    expect(fromTriples.size).toBe(fromTurtle.size);
    for (const title of datasets.map((d) => d.title)) {
      expect(fromTriples.getSubjects(`${DCT}title`, null, null).length).toBeGreaterThan(0);
      expect(objects(fromTurtle, null, `${DCT}title`)).toContain(title);
    }
    const negotiated = await fetch(api.url(`/api/1/site/catalog?organization=${org.id}`), {
      headers: { accept: 'text/turtle;q=0.9, application/rdf+xml' },
    });
    expect(negotiated.headers.get('content-type')).toMatch(/^application\/rdf\+xml/);
    const xml = await negotiated.text();
    expect(xml).toContain('<rdf:RDF');
    expect(xml).not.toContain('\u0001');
    expect(xml).not.toContain('\u000b');
    const byDefault = await api.get(`/api/1/site/catalog?organization=${org.id}`);
    expect(byDefault.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const jsonld = JSON.parse(byDefault.text);
    expect(
      jsonld['@graph'].filter((node: { '@type'?: string[] }) => node['@type']?.includes('dcat:Dataset')),
    ).toHaveLength(3);
    for (const extension of ['jsonld', 'rdf', 'xml']) {
      const answer = await api.get(`/api/1/site/catalog.${extension}?organization=${org.id}`);
      expect(answer.status, extension).toBe(200);
    }
  });

  it('pages with a Hydra PartialCollectionView, and refuses a page past the end', async () => {
    const first = await api.get(`/api/1/site/catalog.ttl?organization=${org.id}&page_size=2`);
    const store = parse(first.text, 'text/turtle');
    const [view] = store.getSubjects(RDF_TYPE, `${HYDRA}PartialCollectionView`, null);
    expect(view).toBeDefined();
    expect(objects(store, null, `${HYDRA}totalItems`)).toEqual(['3']);
    const next = objects(store, view!.value, `${HYDRA}next`)[0]!;
    expect(objects(store, view!.value, `${HYDRA}last`)[0]).toContain('page=2');
    expect(store.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null)).toHaveLength(2);
    const second = await fetch(next);
    const secondStore = parse(await second.text(), 'text/turtle');
    expect(secondStore.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null)).toHaveLength(1);
    const [secondView] = secondStore.getSubjects(RDF_TYPE, `${HYDRA}PartialCollectionView`, null);
    expect(objects(secondStore, secondView!.value, `${HYDRA}next`)).toEqual([]);
    expect(objects(secondStore, secondView!.value, `${HYDRA}previous`)).toHaveLength(1);

    const past = await api.get(`/api/1/site/catalog.ttl?organization=${org.id}&page=9&page_size=2`);
    expect(past.status).toBe(404);
    expect(past.headers.get('content-type')).toMatch(/problem\+json/);
  });

  it('never exports a private dataset', async () => {
    const catalog = await api.get(`/api/1/organizations/${org.id}/catalog.nt`);
    expect(catalog.status).toBe(200);
    expect(catalog.text).not.toContain(privateId);
    expect(
      parse(catalog.text, 'application/n-triples').getSubjects(RDF_TYPE, `${DCAT}Dataset`, null),
    ).toHaveLength(3);
    for (const headers of [{}, producer.headers]) {
      const alone = await api.getWith(`/api/1/datasets/${privateId}/rdf.ttl`, headers);
      expect(alone.status).toBe(404);
    }
    const site = await api.get(`/api/1/site/catalog.nt?organization=${org.id}`);
    expect(site.text).not.toContain(privateId);
  });

  it('exports one dataset with its distributions as udata does', async () => {
    const { id } = datasets[0]!;
    const response = await api.get(`/api/1/datasets/${id}/rdf.ttl`);
    expect(response.status, response.text).toBe(200);
    const store = parse(response.text, 'text/turtle');
    const [node] = store.getSubjects(RDF_TYPE, `${DCAT}Dataset`, null);
    expect(objects(store, node!.value, `${DCT}identifier`)).toEqual([id]);
    const distribution = objects(store, node!.value, `${DCAT}distribution`).find((candidate) =>
      objects(store, candidate, `${DCT}title`).includes('File 0'),
    );
    const download = objects(store, distribution!, `${DCAT}downloadURL`)[0]!;
    // The stored link had a space and braces: escaped, so the IRI stays valid.
    expect(download).toContain('population%200.csv');
    expect(download).not.toMatch(/[ {}]/);
    expect(objects(store, distribution!, `${DCAT}byteSize`)).toEqual(['1234']);
    expect(objects(store, distribution!, `${DCT}license`)).toHaveLength(1);
  });

  it('answers clear 4xx to unknown datasets, organizations and unservable Accept headers', async () => {
    expect((await api.get('/api/1/datasets/000000000000000000000000/rdf.ttl')).status).toBe(404);
    expect((await api.get('/api/1/organizations/no-such-org/catalog.ttl')).status).toBe(404);
    expect((await api.get('/api/1/site/catalog.pdf')).status).toBe(404);
    const refused = await fetch(api.url('/api/1/site/catalog'), { headers: { accept: 'image/png' } });
    expect(refused.status).toBe(406);
    expect((await api.get('/api/1/site/catalog.ttl?page_size=1000')).status).toBe(400);
  });

  it.each(['ttl', 'nt', 'rdf', 'jsonld'])(
    'is harvested back by Portail’s own DCAT harvester with no loss on the mapped fields (.%s)',
    async (extension) => {
      const url = api.url(`/api/1/site/catalog.${extension}?organization=${org.id}&page_size=2`);
      const harvested = [];
      let next: string | null = url;
      while (next) {
        const response = await fetch(next);
        expect(response.status).toBe(200);
        const page = await readDcatDocument({
          body: new Uint8Array(await response.arrayBuffer()),
          contentType: response.headers.get('content-type'),
          url: next,
        });
        harvested.push(...page.items);
        next = page.paging.next;
      }
      expect(harvested.map((item) => item.status)).toEqual(['mapped', 'mapped', 'mapped']);
      const instant = (value: unknown) => (value ? new Date(value as string).toISOString() : value);
      for (const item of harvested) {
        if (item.status !== 'mapped') continue;
        const held = (await api.get(`/api/1/datasets/${item.remote_id}/`)).json;
        // Every field the DCAT mapping fills, as Portail holds it (what it keeps in extras aside).
        const { extras: _extras, warnings, resources, ...mapped } = item.dataset;
        expect(warnings).toEqual([]);
        expect({
          ...mapped,
          created_at: instant(mapped.created_at),
          issued_at: instant(mapped.issued_at),
          modified_at: instant(mapped.modified_at),
        }).toEqual({
          remote_id: held.id,
          remote_url: held.page,
          uri: new URL(`/datasets/${held.id}/`, held.page).href,
          dct_identifier: held.id,
          title: held.title,
          description: held.description,
          tags: held.tags,
          license: held.license,
          frequency: held.frequency,
          temporal_coverage: held.temporal_coverage,
          spatial: { ...held.spatial, geom: null },
          created_at: null,
          issued_at: instant(held.created_at),
          modified_at: instant(held.last_update),
        });
        expect(
          resources.map(({ extras: _resourceExtras, ...resource }) => ({
            ...resource,
            issued_at: instant(resource.issued_at),
            modified_at: instant(resource.modified_at),
          })),
        ).toEqual(
          held.resources.map((resource: Record<string, unknown>) => ({
            remote_id: resource.id,
            title: resource.title,
            description: resource.description,
            type: resource.type,
            format: resource.format,
            mime: resource.mime,
            filesize: resource.filesize,
            checksum: resource.checksum,
            // The stored link held a space and braces: harvested as the escaped IRI the export wrote.
            url: safeIri(new URL(resource.url as string).href),
            issued_at: instant(resource.created_at),
            modified_at: instant(resource.last_modified),
          })),
        );
      }
    },
  );

  it('is harvested back through a DCAT source into another organization, field by field', async () => {
    const [sysadmin, harvester] = await Promise.all([newUser({ sysadmin: true }), newUser()]);
    const mirror = await api.post(
      '/api/1/organizations/',
      { name: uniqueTitle('Mirror org'), description: 'Harvests the catalogue of another.' },
      harvester.headers,
    );
    expect(mirror.status, mirror.text).toBe(201);
    const source = await api.post(
      '/api/1/harvest/sources/',
      {
        name: uniqueTitle('Portail catalogue'),
        url: api.url(`/api/1/site/catalog.ttl?organization=${org.id}&page_size=2`),
        backend: 'dcat',
        organization: mirror.json.id,
      },
      harvester.headers,
    );
    expect(source.status, source.text).toBe(201);
    const accepted = await api.post(
      `/api/1/harvest/source/${source.json.id}/validate/`,
      { state: 'accepted' },
      sysadmin.headers,
    );
    expect(accepted.status, accepted.text).toBe(200);
    const job = await finishedJob(accepted.json.health.running_job, 30_000);
    expect(job.status, JSON.stringify(job.errors)).toBe('done');
    expect(job.counts).toMatchObject({ created: 3, failed: 0, skipped: 0 });
    expect(job.listing_complete).toBe(true);
    await drained();
    const items = await api.get(`/api/1/harvest/job/${job.id}/items/?page_size=10`);
    expect(items.json.data.map((item: { remote_id: string }) => item.remote_id).sort()).toEqual(
      datasets.map((dataset) => dataset.id).sort(),
    );
    const fields = (dataset: Record<string, unknown>) => ({
      title: dataset.title,
      description: dataset.description,
      tags: dataset.tags,
      license: dataset.license,
      frequency: dataset.frequency,
      temporal_coverage: dataset.temporal_coverage,
      spatial: dataset.spatial,
      resources: (dataset.resources as Record<string, unknown>[]).map((resource) => ({
        title: resource.title,
        description: resource.description,
        type: resource.type,
        format: resource.format,
        mime: resource.mime,
        filesize: resource.filesize,
        checksum: resource.checksum,
        url: resource.url,
      })),
    });
    for (const item of items.json.data as { remote_id: string; dataset: { id: string } }[]) {
      const [held, copy] = await Promise.all([
        api.get(`/api/1/datasets/${item.remote_id}/`),
        api.get(`/api/1/datasets/${item.dataset.id}/`),
      ]);
      expect(copy.json.organization.id).toBe(mirror.json.id);
      expect(copy.json.harvest).toMatchObject({
        backend: 'dcat',
        remote_id: held.json.id,
        remote_url: held.json.page,
        dct_identifier: held.json.id,
      });
      const expected = fields(held.json);
      expect(fields(copy.json)).toEqual({
        ...expected,
        // A link with spaces and braces, escaped.
        resources: expected.resources.map((resource) => ({
          ...resource,
          url: safeIri(new URL(resource.url as string).href),
        })),
      });
    }
    // The copies are exported under their origin's identifier: a source reading them back (the mirror's
    // own catalogue, or the origin's harvesting its mirror) finds the datasets it already holds.
    const mirrored = await api.get(`/api/1/organizations/${mirror.json.id}/catalog.jsonld`);
    expect(mirrored.status, mirrored.text).toBe(200);
    const identifiers = (mirrored.json['@graph'] as Record<string, unknown>[])
      .filter((node) => [node['@type']].flat().includes('dcat:Dataset'))
      .flatMap((node) => [node['dct:identifier']].flat())
      .map((value) =>
        typeof value === 'object' && value ? (value as { '@value': string })['@value'] : value,
      );
    expect(identifiers.sort()).toEqual(datasets.map((dataset) => dataset.id).sort());
  });
});
