/**
 * `npm run bench:pages`: the public dataset page against the API GET of the same dataset, through the
 * local server, on a fresh local platform. Time to first byte (response headers received) of anonymous
 * requests on one kept-alive connection each, interleaved in blocks so both see the same machine; the
 * ratio is the goal (≤ 1.5×: the page is one API read plus its rendering). Also reports the
 * JavaScript a public page ships (none is needed to read it) and its size, then Lighthouse-style metrics
 * of the public page and the workspace in Chromium (`page-metrics.ts`), desktop and Lighthouse's mobile
 * throttling, the median of BENCH_PAINT_RUNS (5) cold visits each.
 * BENCH_PAGE_ITERATIONS (500) requests of each kind, BENCH_BLOCK (50) per block.
 */
import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../test/browser/chromium';
import { measurePage, type PageMetrics, type Profile } from './page-metrics';
import { median, percentile } from './stats';
import { formatTable, kib, ms, ratio } from './table';

const iterations = Number(process.env.BENCH_PAGE_ITERATIONS ?? 500);
const paintRuns = Number(process.env.BENCH_PAINT_RUNS ?? 5);
const blockSize = Number(process.env.BENCH_BLOCK ?? 50);
for (const [name, value] of [
  ['BENCH_PAGE_ITERATIONS', iterations],
  ['BENCH_BLOCK', blockSize],
  ['BENCH_PAINT_RUNS', paintRuns],
] as const) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
}
const log = (line: string) => console.error(`[bench] ${line}`);

/** Milliseconds until the answer's headers arrive; the body is then read to keep the connection usable. */
function firstByte(agent: http.Agent, url: string): Promise<{ ms: number; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const request = http.get(url, { agent }, (response) => {
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          ms: elapsed,
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
const { withPlatform } = await import('./with-platform');
const { benchPublisher } = await import('./bench-user');
await withPlatform(
  async (platform) => {
    const headers = await benchPublisher(platform);
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${platform.apiUrl}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as { id: string; slug: string };
    };
    const dataset = await post('/api/1/datasets/', {
      title: 'Qualité de l’air mesurée par les stations',
      description: `${'Mesures horaires des polluants, station par station. '.repeat(20)}`,
      tags: ['air', 'pollution', 'environnement'],
      license: 'lov2',
      frequency: 'hourly',
      temporal_coverage: { start: '2020-01-01', end: '2024-12-31' },
      spatial: { zones: ['country:fr'], granularity: 'fr:departement' },
    });
    for (let index = 1; index <= 10; index++) {
      await post(`/api/1/datasets/${dataset.id}/resources/`, {
        title: `Mesures ${2014 + index}`,
        url: `https://example.org/mesures-${2014 + index}.csv`,
        type: 'main',
        format: 'csv',
      });
    }
    const apiUrl = `${platform.apiUrl}/api/1/datasets/${dataset.slug}/`;
    const pageUrl = `${platform.apiUrl}/datasets/${dataset.slug}/`;
    const apiAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const pageAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    // Warm both paths (module loading, the page's reference lists).
    let page = '';
    for (let index = 0; index < 20; index++) {
      await firstByte(apiAgent, apiUrl);
      page = (await firstByte(pageAgent, pageUrl)).body;
    }
    const apiTimes: number[] = [];
    const pageTimes: number[] = [];
    log(`${iterations} requests of each kind, blocks of ${blockSize}`);
    for (let done = 0; done < iterations; done += blockSize) {
      const count = Math.min(blockSize, iterations - done);
      for (let index = 0; index < count; index++) apiTimes.push((await firstByte(apiAgent, apiUrl)).ms);
      for (let index = 0; index < count; index++) {
        const answer = await firstByte(pageAgent, pageUrl);
        if (answer.status !== 200) throw new Error(`page answered ${answer.status}`);
        pageTimes.push(answer.ms);
      }
    }
    apiAgent.destroy();
    pageAgent.destroy();
    const scripts = [...page.matchAll(/<script(?![^>]*application\/ld\+json)[^>]*>([\s\S]*?)<\/script>/g)];
    const scriptBytes = scripts.reduce((total, found) => total + Buffer.byteLength(found[1] ?? ''), 0);
    console.log('\nPublic dataset page vs API GET of the same dataset (time to first byte, local server)\n');
    console.log(
      formatTable(
        ['request', 'p50 ms', 'p95 ms', 'p50 ratio', 'p95 ratio'],
        [
          [
            'GET /api/1/datasets/{slug}/',
            ms(median(apiTimes)),
            ms(percentile(apiTimes, 95)),
            '1.00x',
            '1.00x',
          ],
          [
            'GET /datasets/{slug}/ (page)',
            ms(median(pageTimes)),
            ms(percentile(pageTimes, 95)),
            ratio(median(pageTimes) / median(apiTimes)),
            ratio(percentile(pageTimes, 95) / percentile(apiTimes, 95)),
          ],
        ],
      ),
    );
    console.log(
      `\nGoal: page p50 ≤ 1.5× the API's. JavaScript shipped to the page: ${scripts.length} script(s), ${kib(scriptBytes)} KiB (none needed to read it). Page: ${kib(Buffer.byteLength(page))} KiB, ${kib(gzipSync(page).length)} KiB gzipped, one request (styles inline).`,
    );

    log(`Chromium: ${paintRuns} cold visits of each page and profile`);
    const browser = await launchChromium();
    const rows: string[][] = [];
    try {
      for (const [name, url] of [
        ['public dataset page', pageUrl],
        ['workspace (sign-in screen)', `${platform.apiUrl}/admin/`],
      ] as const) {
        for (const profile of ['desktop', 'mobile'] as Profile[]) {
          const runs: PageMetrics[] = [];
          for (let run = 0; run < paintRuns; run++) runs.push(await measurePage(browser, url, profile));
          const mid = (pick: (metrics: PageMetrics) => number) => median(runs.map(pick));
          rows.push([
            name,
            profile,
            ms(mid((metrics) => metrics.fcp)),
            ms(mid((metrics) => metrics.lcp)),
            mid((metrics) => metrics.cls).toFixed(3),
            ms(mid((metrics) => metrics.tbt)),
            ms(mid((metrics) => metrics.load)),
            String(mid((metrics) => metrics.requests)),
            kib(mid((metrics) => metrics.transferBytes)),
          ]);
        }
      }
    } finally {
      await browser.close();
    }
    console.log(
      '\nLighthouse-style metrics, median of cold visits (mobile: 150 ms RTT, 1.6 Mbit/s, CPU 4×)\n',
    );
    console.log(
      formatTable(
        ['page', 'profile', 'FCP ms', 'LCP ms', 'CLS', 'TBT ms', 'load ms', 'requests', 'KiB'],
        rows,
      ),
    );
    console.log(
      '\nLighthouse scores well under FCP 1.8 s, LCP 2.5 s, CLS 0.1 and TBT 200 ms (mobile). Reported, not asserted.',
    );
  },
  (line) => log(`platform: ${line}`),
);
