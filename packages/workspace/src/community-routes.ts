/**
 * The community, harvest and search screens' paths (under /admin), kept apart from the producer's so
 * the router only appends them. Each name is dispatched by CommunityScreens.vue.
 */
export const COMMUNITY_PATTERNS: [string, RegExp][] = [
  ['dataset-community', /^\/datasets\/(?<id>[^/]+)\/community\/?$/],
  ['discussions', /^\/discussions\/?$/],
  ['discussion', /^\/discussions\/(?<id>[^/]+)\/?$/],
  ['reuses', /^\/reuses\/?$/],
  ['reuse-new', /^\/reuses\/new\/?$/],
  ['reuse', /^\/reuses\/(?<id>[^/]+)\/?$/],
  ['reuse-community', /^\/reuses\/(?<id>[^/]+)\/community\/?$/],
  ['notifications', /^\/notifications\/?$/],
  ['harvest', /^\/harvest\/?$/],
  ['harvest-validation', /^\/harvest\/validation\/?$/],
  ['harvest-source', /^\/harvest\/sources\/(?<id>[^/]+)\/?$/],
  ['harvest-job', /^\/harvest\/jobs\/(?<id>[^/]+)\/?$/],
];

export const COMMUNITY_SCREENS = new Set(COMMUNITY_PATTERNS.map(([name]) => name));
