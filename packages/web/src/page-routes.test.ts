import { describe, expect, it } from 'vitest';
import { matchPage, PAGE_ROUTE_PATHS } from './page-routes';

describe('matchPage', () => {
  it('knows the French pages at the paths the API links to, and the English ones under /en', () => {
    expect(matchPage('/')).toEqual({ kind: 'page', page: 'home', language: 'fr', slashed: true });
    expect(matchPage('/en/')).toEqual({ kind: 'page', page: 'home', language: 'en', slashed: true });
    expect(matchPage('/en')).toMatchObject({ page: 'home', language: 'en', slashed: false });
    expect(matchPage('/datasets/')).toMatchObject({ page: 'search', language: 'fr' });
    expect(matchPage('/en/datasets/budget/')).toEqual({
      kind: 'page',
      page: 'dataset',
      language: 'en',
      param: 'budget',
      slashed: true,
    });
    expect(matchPage('/organizations/mairie')).toMatchObject({ page: 'organization', slashed: false });
    expect(matchPage('/reuses/carte/')).toMatchObject({ page: 'reuse', param: 'carte' });
    expect(matchPage('/users/ada/')).toMatchObject({ page: 'user', param: 'ada' });
    expect(matchPage('/sitemap.xml')).toEqual({ kind: 'sitemap' });
    expect(matchPage('/sitemaps/datasets-2.xml')).toEqual({ kind: 'sitemap-part', name: 'datasets-2.xml' });
    expect(matchPage('/robots.txt')).toEqual({ kind: 'robots' });
  });

  it('leaves every other path to the API, and never takes a dot segment or a bad escape', () => {
    for (const path of [
      '/api/1/datasets/',
      '/organizations/',
      '/datasets/a/b/',
      '/datasets/%2e%2e/',
      '/datasets/../',
      '/datasets/%zz/',
      '/de/datasets/x/',
      '/embed/datasets/x',
    ]) {
      expect(matchPage(path), path).toBeNull();
    }
  });

  it('declares an API Gateway route for every kind of page path', () => {
    expect(PAGE_ROUTE_PATHS).toEqual(
      expect.arrayContaining(['/', '/en', '/datasets/{slug}', '/en/users/{slug}']),
    );
    for (const path of PAGE_ROUTE_PATHS) expect(path === '/' || !path.endsWith('/'), path).toBe(true);
  });
});
