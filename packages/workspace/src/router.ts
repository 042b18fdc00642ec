import { computed, ref } from 'vue';
import { COMMUNITY_PATTERNS } from './community-routes';

/** The workspace lives under this path; the public pages and the API keep every other. */
export const BASE = '/admin';

const current = ref(globalThis.location ? globalThis.location.pathname : `${BASE}/`);
/** The query string of the current screen (e.g. the organization a new dataset is for). */
export const query = ref(new URLSearchParams(globalThis.location?.search ?? ''));

export interface Route {
  name: string;
  params: Record<string, string>;
}

const PATTERNS: [string, RegExp][] = [
  ['home', /^\/?$/],
  ['register', /^\/register\/?$/],
  ['login', /^\/login\/?$/],
  ['confirm', /^\/confirm\/?$/],
  ['confirm-token', /^\/confirm\/(?<token>[A-Za-z0-9_-]+)\/?$/],
  ['reset', /^\/reset\/?$/],
  ['reset-token', /^\/reset\/(?<token>[A-Za-z0-9_-]+)\/?$/],
  ['profile', /^\/profile\/?$/],
  ['organization-new', /^\/organizations\/new\/?$/],
  ['organization', /^\/organizations\/(?<id>[^/]+)\/?$/],
  ['dataset-new', /^\/datasets\/new\/?$/],
  ['dataset', /^\/datasets\/(?<id>[^/]+)\/?$/],
  ...COMMUNITY_PATTERNS,
];

export function matchRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  for (const [name, pattern] of PATTERNS) {
    const match = pattern.exec(rest);
    if (match) return { name, params: { ...(match.groups ?? {}) } };
  }
  return { name: 'not-found', params: {} };
}

export const route = computed(() => matchRoute(current.value));

export function href(path: string): string {
  return `${BASE}${path}`;
}

export function navigate(path: string): void {
  const target = href(path);
  if (target !== `${globalThis.location.pathname}${globalThis.location.search}`) {
    globalThis.history.pushState(null, '', target);
  }
  const url = new URL(target, globalThis.location.origin);
  query.value = url.searchParams;
  current.value = url.pathname;
  globalThis.scrollTo?.(0, 0);
}

globalThis.addEventListener?.('popstate', () => {
  query.value = new URLSearchParams(globalThis.location.search);
  current.value = globalThis.location.pathname;
});
