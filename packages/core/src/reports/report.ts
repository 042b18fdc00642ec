import * as z from 'zod';
import { PublisherSchema } from '../dataset/dataset';
import type { PublicUrls } from '../dataset/present';
import { udataDateTime, udataDateTimeOrNull } from '../dates';
import { lazySchema } from '../lazy-schema';
import { isoDateTime, optionalString, requiredString } from '../schema-helpers';
import { presentParty, UserReferenceSchema } from '../transfers/present';

/** udata's report reasons, with their labels (`GET /api/1/reports/reasons/`). */
export const REPORT_REASONS = {
  spam: 'Spam',
  personal_data: 'Personal data',
  explicit_content: 'Explicit content',
  illegal_content: 'Illegal content',
  security: 'Security',
  others: 'Others',
} as const;
export type ReportReason = keyof typeof REPORT_REASONS;
const REASON_KEYS = Object.keys(REPORT_REASONS) as [ReportReason, ...ReportReason[]];

/** What may be reported: a discussion, a comment of one, a dataset or a reuse. */
export const REPORT_SUBJECT_CLASSES = ['Discussion', 'DiscussionComment', 'Dataset', 'Reuse'] as const;
export type ReportSubjectClass = (typeof REPORT_SUBJECT_CLASSES)[number];

export const ReportCreateInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      subject: z.object({
        class: z.enum(REPORT_SUBJECT_CLASSES, {
          error: `Unsupported subject class: one of ${REPORT_SUBJECT_CLASSES.join(', ')}.`,
        }),
        id: requiredString(64),
        discussion: requiredString(64)
          .optional()
          .meta({ description: 'For a `DiscussionComment`: the discussion the comment belongs to.' }),
      }),
      reason: z.enum(REASON_KEYS, { error: `Unknown reason: one of ${REASON_KEYS.join(', ')}.` }),
      message: optionalString(5_000),
    })
    .meta({ id: 'ReportCreateInput' }),
);
export type ReportCreateInput = z.output<typeof ReportCreateInputSchema>;

export const ReportDismissInputSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({ dismissed: z.literal(true, { error: 'Send `"dismissed": true` to dismiss a report.' }) })
    .meta({ id: 'ReportDismissInput' }),
);

const UserSnapshotSchema = /* @__PURE__ */ lazySchema(() => PublisherSchema.options[0]);

export const ReportSchema = /* @__PURE__ */ lazySchema(() =>
  z.object({
    id: z.string(),
    subject: z.object({
      class: z.enum(REPORT_SUBJECT_CLASSES),
      id: z.string(),
      discussion: z.string().nullable(),
    }),
    reason: z.enum(REASON_KEYS),
    message: z.string().nullable(),
    /** Null for what the spam rule reported itself. */
    by: UserSnapshotSchema.nullable(),
    /** Reported by the spam rule (udata's `auto_spam`), with the rule that held the comment. */
    auto_spam: z.string().nullable(),
    reported_at: isoDateTime,
    dismissed_at: isoDateTime.nullable(),
    dismissed_by: UserSnapshotSchema.nullable(),
    version: z.number().int(),
  }),
);
export type Report = z.infer<typeof ReportSchema>;

export const ReportResponseSchema = /* @__PURE__ */ lazySchema(() =>
  z
    .object({
      id: z.string(),
      subject: z.object({
        class: z.enum(REPORT_SUBJECT_CLASSES),
        id: z.string(),
        discussion: z.string().nullable(),
      }),
      reason: z.enum(REASON_KEYS),
      message: z.string().nullable(),
      by: UserReferenceSchema.nullable(),
      auto_spam: z.string().nullable(),
      reported_at: isoDateTime,
      dismissed_at: isoDateTime.nullable(),
      dismissed_by: UserReferenceSchema.nullable(),
      self_api_url: z.string(),
    })
    .meta({ id: 'Report' }),
);
export type ReportResponse = z.infer<typeof ReportResponseSchema>;

export function presentReport(report: Report, urls: PublicUrls): ReportResponse {
  const user = (snapshot: Report['by']) =>
    snapshot ? (presentParty(snapshot, urls) as z.infer<typeof UserReferenceSchema>) : null;
  return {
    id: report.id,
    subject: report.subject,
    reason: report.reason,
    message: report.message,
    by: user(report.by),
    auto_spam: report.auto_spam,
    reported_at: udataDateTime(report.reported_at),
    dismissed_at: udataDateTimeOrNull(report.dismissed_at),
    dismissed_by: user(report.dismissed_by),
    self_api_url: `${urls.api}/api/1/reports/${report.id}/`,
  };
}
