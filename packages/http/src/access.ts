/**
 * The access module: the one place that answers "may this caller do this to this object, and if not,
 * which error" for every route group. Each loader reads what the answer depends on and asks core's
 * pure verdicts (packages/core/src/access.ts), whose ladder has one fixed order: 404 unknown, 410
 * deleted, 404 private to whoever may not see it, 403 not theirs.
 */
export * from './access/caller';
export * from './access/community-resources';
export * from './access/contact-points';
export * from './access/datasets';
export * from './access/discussions';
export * from './access/followed';
export * from './access/harvest-sources';
export * from './access/organizations';
export * from './access/refusals';
export * from './access/resources';
export * from './access/reuses';
export * from './access/transfers';
export * from './access/webhooks';
