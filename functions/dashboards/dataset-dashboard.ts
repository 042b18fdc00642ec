import {
  type Availability,
  computeQuality,
  failingCriteria,
  isVisible,
  orderedResources,
  presentQuality,
  QUALITY_ADVICE,
  type QualityCriterion,
  udataDateTime,
  udataDateTimeOrNull,
} from '@portail/core';
import { loadDataset, type RouteHandler } from '@portail/http';
import {
  availabilityOf,
  checksOfDataset,
  datasetMonthlyMetrics,
  listDiscussions,
  listFollowers,
  listReuses,
} from '@portail/store';
import type { dashboardRoutes } from './routes';

const LATEST = 5;

/** A link's last and next check, dates in udata's form. */
function presentAvailability(availability: Availability): Availability {
  return {
    ...availability,
    checked_at: udataDateTimeOrNull(availability.checked_at),
    next_check_at: udataDateTimeOrNull(availability.next_check_at),
  };
}
const HOSTED: Availability = {
  available: true,
  status: null,
  error: null,
  checked_at: null,
  next_check_at: null,
};

/**
 * The dashboard of one dataset, for whoever may edit it: the dataset's one Query (its resources,
 * quality, metrics and community resources), then in parallel its monthly counters, its links' checks,
 * its latest reuses, followers and open discussions.
 */
export const getDatasetDashboard: RouteHandler<typeof dashboardRoutes.getDatasetDashboard> = async ({
  params,
  caller,
}) => {
  const found = await loadDataset(caller, params.dataset, 'edit');
  const { dataset } = found;
  const now = new Date();
  const [monthly, checks, reuses, followers, discussions] = await Promise.all([
    datasetMonthlyMetrics(dataset.id),
    checksOfDataset(dataset.id),
    listReuses({ kind: 'dataset', datasetId: dataset.id }, { page: 1, pageSize: LATEST }),
    listFollowers({ kind: 'dataset', id: dataset.id }, { page: 1, pageSize: LATEST }),
    listDiscussions(
      { subject: dataset.id, owner: null, user: null, closed: false },
      { page: 1, pageSize: LATEST },
      false,
    ),
  ]);
  const stored = found.quality ?? computeQuality({ dataset, resources: found.resources }, now);
  const quality = presentQuality(stored, now);
  const checkOf = new Map(checks.map((check) => [check.resource_id, check]));
  const resources = orderedResources(dataset.resource_order, found.resources.filter(isVisible)).map(
    (resource) => ({
      id: resource.id,
      title: resource.title,
      filetype: resource.filetype,
      format: resource.format ?? null,
      url: resource.url ?? null,
      downloads: resource.downloads,
      downloads_by_months: monthly.resources[resource.id] ?? {},
      availability: presentAvailability(
        resource.filetype === 'file' ? HOSTED : availabilityOf(checkOf.get(resource.id)),
      ),
    }),
  );
  const overdue = quality.update_fulfilled_in_time === false;
  const anomalies = [
    ...failingCriteria({ ...stored, ...quality, due_at: stored.due_at, computed_at: stored.computed_at }).map(
      (criterion) => ({
        kind: 'quality',
        message: QUALITY_ADVICE[criterion as QualityCriterion] ?? criterion,
      }),
    ),
    ...resources
      .filter((resource) => resource.availability.available === false)
      .map((resource) => ({
        kind: 'unreachable',
        resource: resource.id,
        message: `“${resource.title}” did not answer its last check (${resource.availability.status ?? resource.availability.error ?? 'no answer'}).`,
      })),
    ...(overdue ? [{ kind: 'overdue', message: 'The data is late for its declared frequency.' }] : []),
  ];
  const community = (found.communityResources ?? []).filter(isVisible);
  return {
    status: 200,
    body: {
      dataset: {
        id: dataset.id,
        title: dataset.title,
        slug: dataset.slug,
        private: dataset.private,
        archived: dataset.archived,
        frequency: dataset.frequency,
        last_update: udataDateTime(dataset.last_update),
        temporal_coverage: dataset.temporal_coverage,
        spatial: dataset.spatial,
        tags: dataset.tags,
      },
      quality,
      update: {
        frequency: dataset.frequency,
        last_update: udataDateTime(dataset.last_update),
        due_at: udataDateTimeOrNull(stored.due_at),
        overdue,
      },
      metrics: {
        discussions: 0,
        discussions_open: 0,
        followers: 0,
        reuses: 0,
        views: 0,
        ...found.metrics,
        resources_downloads: resources.reduce((total, resource) => total + resource.downloads, 0),
      },
      views_by_months: monthly.views,
      resources_downloads_by_months: monthly.downloads,
      resources,
      anomalies,
      followers: {
        total: followers.total,
        latest: followers.follows.map((follow) => ({
          id: follow.follower.id,
          name: `${follow.follower.first_name} ${follow.follower.last_name}`.trim(),
          slug: follow.follower.slug,
          since: udataDateTime(follow.since),
        })),
      },
      reuses: {
        total: reuses.total,
        latest: reuses.reuses.map(({ reuse }) => ({ id: reuse.id, title: reuse.title, slug: reuse.slug })),
      },
      discussions: {
        open: discussions.total,
        latest_open: discussions.discussions.map((discussion) => ({
          id: discussion.id,
          title: discussion.title,
          created: udataDateTime(discussion.created),
        })),
      },
      community_resources: {
        total: community.length,
        latest: community
          .slice(0, LATEST)
          .map((resource) => ({ id: resource.id, title: resource.title, slug: null })),
      },
    },
  };
};
