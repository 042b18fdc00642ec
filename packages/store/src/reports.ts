import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type Actor, NotFoundError, type Report, ReportSchema, type UserSnapshot } from '@portail/core';
import { documentClient } from './client';
import { readCounter } from './counters';
import { keys } from './keys';
import { type ListingOptions, queryListing } from './listing';
import { buildEvent, outboxPut } from './outbox';
import { type NamedItem, named, tableName } from './transact';
import { LOCK, versionedWrite } from './versioned-write';

function toItem(report: Report): Record<string, unknown> {
  return {
    ...keys.report(report.id),
    type: 'Report',
    ...keys.reportListing(report.reported_at, report.id),
    ...report,
  };
}

function fromItem(item: Record<string, unknown>): Report {
  return ReportSchema.parse(item);
}

/** The items that file a report: the report and its event (in the transaction of whatever files it). */
export function reportPut(report: Report, actor: Actor, now: Date): NamedItem[] {
  return [
    named('report', {
      Put: { TableName: tableName(), Item: toItem(report), ConditionExpression: 'attribute_not_exists(PK)' },
    }),
    {
      ...outboxPut(
        buildEvent('report.created', { class: 'Report', id: report.id }, actor, now, {
          about: { class: report.subject.class, id: report.subject.id },
          reason: report.reason,
          auto_spam: report.auto_spam !== null,
        }),
      ),
      name: 'report-event',
    },
  ];
}

/** The totals a report counts in: all reports, and those not dismissed yet. */
export function reportCounters(report: Pick<Report, 'dismissed_at'>): ('reports' | 'reports:open')[] {
  return report.dismissed_at ? ['reports'] : ['reports', 'reports:open'];
}

export async function findReport(id: string): Promise<Report | null> {
  const { Item } = await documentClient.send(
    new GetCommand({ TableName: tableName(), Key: keys.report(id), ConsistentRead: true }),
  );
  return Item ? fromItem(Item) : null;
}

export async function getReport(id: string): Promise<Report> {
  const report = await findReport(id);
  if (!report) throw new NotFoundError(`Unknown report id "${id}".`);
  return report;
}

/** Reports, newest first (GSI1 `REPORTS`), with the total. */
export async function listReports(
  options: ListingOptions,
): Promise<{ reports: Report[]; total: number; nextCursor: string | null }> {
  const [page, total] = await Promise.all([
    queryListing(keys.reportListingPartition(), options),
    readCounter('reports'),
  ]);
  return { reports: page.items.map(fromItem), total, nextCursor: page.nextCursor };
}

/** Dismisses a report (a sysadmin judged it needs nothing more); dismissing again changes nothing. */
export async function dismissReport(report: Report, by: UserSnapshot, now = new Date()): Promise<Report> {
  return versionedWrite({
    state: report,
    reload: async (state) => getReport(state.id),
    plan: (state) => {
      if (state.dismissed_at) return { items: [], result: state };
      const next: Report = {
        ...state,
        dismissed_at: now.toISOString(),
        dismissed_by: by,
        version: state.version + 1,
      };
      return {
        items: [
          named(LOCK, {
            Put: {
              TableName: tableName(),
              Item: toItem(next),
              ConditionExpression: 'version = :version',
              ExpressionAttributeValues: { ':version': state.version },
            },
          }),
        ],
        result: next,
      };
    },
    conflict: 'The report changed while it was being dismissed; please retry.',
  });
}
