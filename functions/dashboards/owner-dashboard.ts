import {
  type Dataset,
  failingCriteria,
  type Quality,
  qualityAt,
  udataDateTime,
  udataDateTimeOrNull,
} from '@portail/core';
import {
  listDiscussions,
  listHarvestSources,
  listOwnerDatasets,
  liveDatasetsByIds,
  lowestQuality,
  metricsOfDatasets,
  type OwnerRef,
  overdueOfOwner,
  qualityOfDatasets,
  unavailableLinks,
} from '@portail/store';

const ANOMALIES = 20;

function refOf(dataset: Dataset) {
  return { id: dataset.id, title: dataset.title, slug: dataset.slug };
}

/**
 * What a producer follows of an owner's datasets (the caller may see its private ones): a page of its
 * datasets with their quality and metrics, and the anomalies over all of them. Two round trips: the
 * Queries of the page and of each anomaly in parallel, then one BatchGetItem for the page's quality
 * and metrics items and the anomalies' datasets.
 */
export async function ownerDashboard(
  owner: OwnerRef,
  page: { page: number; pageSize: number },
  now = new Date(),
) {
  const [datasets, worst, unreachable, overdue, discussions, harvesters] = await Promise.all([
    listOwnerDatasets(owner, true, page),
    lowestQuality(owner, ANOMALIES),
    unavailableLinks(owner, ANOMALIES * 5),
    overdueOfOwner(owner, now, ANOMALIES * 5),
    listDiscussions({ subject: null, owner, user: null, closed: false }, { page: 1, pageSize: 5 }, false),
    listHarvestSources({ page: 1, pageSize: ANOMALIES }, owner),
  ]);
  const mentioned = [
    ...new Set([
      ...worst.map((entry) => entry.dataset_id),
      ...unreachable.map((check) => check.dataset_id),
      ...overdue.map((entry) => entry.dataset_id),
    ]),
  ];
  const [qualities, metrics, live] = await Promise.all([
    qualityOfDatasets(datasets.datasets.map((dataset) => dataset.id)),
    metricsOfDatasets(datasets.datasets),
    liveDatasetsByIds(mentioned),
  ]);
  const late = new Set(overdue.map((entry) => entry.dataset_id));
  const quality = (stored: Quality | undefined) => (stored ? qualityAt(stored, now) : undefined);
  return {
    datasets: {
      data: datasets.datasets.map((dataset) => {
        const shown = quality(qualities.get(dataset.id));
        return {
          id: dataset.id,
          title: dataset.title,
          slug: dataset.slug,
          private: dataset.private,
          archived: dataset.archived,
          last_update: udataDateTime(dataset.last_update),
          frequency: dataset.frequency,
          quality: { score: shown?.score ?? null, failing: shown ? failingCriteria(shown) : [] },
          overdue: late.has(dataset.id),
          metrics: metrics.get(dataset.id) ?? {},
        };
      }),
      page: page.page,
      page_size: page.pageSize,
      total: datasets.total,
    },
    anomalies: {
      failing_quality: worst.flatMap(({ dataset_id, quality: stored }) => {
        const dataset = live.get(dataset_id);
        const shown = qualityAt(stored, now);
        return dataset
          ? [{ dataset: refOf(dataset), score: shown.score, failing: failingCriteria(shown) }]
          : [];
      }),
      unreachable_resources: unreachable.flatMap((check) => {
        const dataset = live.get(check.dataset_id);
        if (!dataset) return [];
        return [
          {
            dataset: refOf(dataset),
            resource: { id: check.resource_id, title: check.title, url: check.url },
            status: check.status,
            error: check.error,
            checked_at: udataDateTimeOrNull(check.checked_at),
          },
        ];
      }),
      overdue_updates: overdue.flatMap((entry) => {
        const dataset = live.get(entry.dataset_id);
        return dataset && !dataset.private && !dataset.archived
          ? [{ dataset: refOf(dataset), due_at: udataDateTime(entry.due_at) }]
          : [];
      }),
      harvesters: harvesters.sources.map((source) => ({
        id: source.id,
        name: source.name,
        slug: source.slug,
        last_job: source.last_job
          ? {
              id: source.last_job.id,
              status: source.last_job.status,
              started: udataDateTimeOrNull(source.last_job.started),
              ended: udataDateTimeOrNull(source.last_job.ended),
              errors: source.last_job.errors,
            }
          : null,
      })),
      open_discussions: {
        total: discussions.total,
        latest: discussions.discussions.map((discussion) => ({
          id: discussion.id,
          title: discussion.title,
          subject: discussion.subject,
          created: udataDateTime(discussion.created),
        })),
      },
    },
  };
}
