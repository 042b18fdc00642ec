import http from 'node:http';

/** A CKAN package as a generated catalogue serves it. */
export interface CkanPackage {
  id: string;
  name: string;
  title: string;
  notes: string;
  license_id: string;
  tags: { name: string }[];
  resources: { id: string; url: string; name: string; format: string }[];
  [key: string]: unknown;
}

/** A generated package: id sortable by its index, one CSV resource. */
export function ckanPackage(index: number, prefix = 'jeu'): CkanPackage {
  const id = `${prefix}-${String(index).padStart(6, '0')}`;
  return {
    id,
    name: id,
    title: `Jeu de données ${prefix} ${index}`,
    notes: `Description du jeu ${index}.`,
    license_id: 'cc-by-sa',
    metadata_created: '2024-01-01T00:00:00.000000',
    tags: [{ name: 'moissonnage' }, { name: `lot-${index % 10}` }],
    resources: [
      { id: `${id}-r1`, url: `https://donnees.example/${id}.csv`, name: `${id}.csv`, format: 'CSV' },
    ],
  };
}

export interface CkanCatalogue {
  url: string;
  /** What the catalogue lists now: tests add, remove and change packages between runs. */
  packages: CkanPackage[];
  /** `package_search` answers 500 for these `start` values, as many times as given (Infinity: always). */
  failingStarts: Map<number, number>;
  /** Requests to `package_search`, by `start`. */
  requests: number[];
  /** While set, `package_search` answers only once it resolves (a remote that hangs). */
  hold: Promise<void> | null;
  stop(): Promise<void>;
}

/**
 * A CKAN Action API on a local port: `package_search` with `rows`, `start` and `sort=id asc`, over
 * `packages` as they are when each page is asked. Broken records are whatever a test puts there.
 */
export async function serveCkanCatalogue(packages: CkanPackage[]): Promise<CkanCatalogue> {
  const catalogue = {
    packages,
    failingStarts: new Map<number, number>(),
    requests: [] as number[],
    hold: null as Promise<void> | null,
  };
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://local');
    if (url.pathname !== '/api/3/action/package_search') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"success": false}');
      return;
    }
    const rows = Math.min(1000, Number(url.searchParams.get('rows') ?? 10));
    const start = Number(url.searchParams.get('start') ?? 0);
    catalogue.requests.push(start);
    if (catalogue.hold) await catalogue.hold;
    const failures = catalogue.failingStarts.get(start) ?? 0;
    if (failures > 0) {
      catalogue.failingStarts.set(start, failures - 1);
      response.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    }
    const sorted = [...catalogue.packages].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const body = JSON.stringify({
      help: 'local',
      success: true,
      result: { count: sorted.length, results: sorted.slice(start, start + rows), sort: 'id asc' },
    });
    response.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(catalogue, {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
