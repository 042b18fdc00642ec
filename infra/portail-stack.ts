import { uploadOrigins } from '@portail/core';
import { queueConsumer } from '@portail/functions/consumers';
import { CfnOutput, Lazy, Stack, type StackProps, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiTokenSecret } from './constructs/api-token-secret';
import { CounterFolder } from './constructs/counter-folder';
import { DataTable } from './constructs/data-table';
import { PortailEventBus } from './constructs/event-bus';
import { EventConsumers } from './constructs/event-consumers';
import { HarvestSchedules } from './constructs/harvest-schedules';
import { HostedFiles } from './constructs/hosted-files';
import { LogConsumers } from './constructs/log-consumers';
import { MailSender } from './constructs/mail-sender';
import { OriginSecret } from './constructs/origin-secret';
import { OutboxRelay } from './constructs/outbox-relay';
import { PortailApi } from './constructs/portail-api';
import { PublicPages } from './constructs/public-pages';
import { QueueConsumers } from './constructs/queue-consumers';
import { ScheduledJobs } from './constructs/scheduled-jobs';
import { SearchCollection } from './constructs/search-collection';
import { SearchIndexer } from './constructs/search-indexer';
import { UploadFinalizer } from './constructs/upload-finalizer';
import { allowUploadsFrom, UploadsBucket } from './constructs/uploads-bucket';
import { WebDistribution } from './constructs/web-distribution';
import type { GroupAccess } from './group-access';

export interface PortailStackProps extends StackProps {
  /**
   * Browser origins allowed by the API (CORS) and, besides the site's own, to send files to the uploads
   * bucket (`*` is kept for the API only); default: context `allowedOrigins`.
   */
  allowedOrigins?: string[];
  /** Sender of account mails (its domain verified in SES); default: context `mailFrom`. */
  mailFrom?: string;
  /** What each route group's function may access; default GROUP_ACCESS. */
  access?: Record<string, GroupAccess>;
  /** Largest file sent with one presigned POST (MAX_UPLOAD_BYTES); default: context `maxUploadBytes`, else 100 MiB. */
  maxUploadBytes?: number;
  /**
   * Public URL of the API in links (`uri`, `Location`…); default: context `publicApiUrl`, else the site's
   * CloudFront URL, where `/api/*` is served.
   */
  publicApiUrl?: string;
  /** Public URL of the site (pages, `page` links); default: context `publicSiteUrl`, else its CloudFront URL. */
  publicSiteUrl?: string;
  /** The spam rule's banned words (comma separated); default: context `spamBannedWords`, else none. */
  spamBannedWords?: string;
}

/** Context `allowedOrigins`: a JSON array (cdk.json) or `-c allowedOrigins=https://a.example,https://b.example`. */
export function parseOrigins(value: unknown): string[] {
  if (Array.isArray(value) && value.length > 0) return value.map(String);
  if (typeof value === 'string' && value.trim()) return value.split(',').map((origin) => origin.trim());
  return ['*'];
}

/** The whole platform: table, uploads bucket, event bus, HTTP API and the outbox relay. */
export class PortailStack extends Stack {
  readonly table: DataTable;
  readonly uploads: UploadsBucket;
  readonly events: PortailEventBus;
  readonly api: PortailApi;
  readonly apiTokenSecret: ApiTokenSecret;
  readonly originSecret: OriginSecret;
  readonly relay: OutboxRelay;
  readonly mail: MailSender;
  readonly finalizer: UploadFinalizer;
  readonly counters: CounterFolder;
  readonly consumers: EventConsumers;
  readonly logConsumers: LogConsumers;
  readonly search: SearchCollection;
  readonly searchIndexer: SearchIndexer;
  readonly schedules: ScheduledJobs;
  readonly queues: QueueConsumers;
  readonly pages: PublicPages;
  readonly harvestSchedules: HarvestSchedules;
  readonly hostedFiles: HostedFiles;
  readonly web: WebDistribution;

  constructor(scope: Construct, id: string, props: PortailStackProps = {}) {
    super(scope, id, props);
    const allowedOrigins = props.allowedOrigins ?? parseOrigins(this.node.tryGetContext('allowedOrigins'));

    this.table = new DataTable(this, 'Data');
    this.uploads = new UploadsBucket(this, 'Uploads');
    this.events = new PortailEventBus(this, 'Events');
    this.apiTokenSecret = new ApiTokenSecret(this, 'ApiTokenSecret');
    this.originSecret = new OriginSecret(this, 'OriginSecret');
    this.search = new SearchCollection(this, 'Search', {
      name: String(this.node.tryGetContext('searchCollectionName') ?? 'portail-search'),
    });
    this.queues = new QueueConsumers(this, 'Queues', { table: this.table.table });
    const harvestSteps = {
      queue: this.queues.consumers['harvest-steps'].queue,
      urlVariable: queueConsumer('harvest-steps').urlVariable,
    };
    this.harvestSchedules = new HarvestSchedules(this, 'HarvestSchedules', { steps: harvestSteps.queue });
    // The distribution is built last (it fronts the API): its URL is read when the stack is synthesized.
    const siteUrl = Lazy.string({ produce: () => this.web.url });
    const publicSiteUrl: string = props.publicSiteUrl ?? this.node.tryGetContext('publicSiteUrl') ?? siteUrl;
    const maxUploadBytes =
      props.maxUploadBytes ?? (Number(this.node.tryGetContext('maxUploadBytes')) || undefined);
    this.api = new PortailApi(this, 'Api', {
      apiTokenSecret: this.apiTokenSecret.secret,
      originSecret: this.originSecret.secret,
      harvestSteps,
      table: this.table.table,
      uploads: this.uploads.bucket,
      bus: this.events.bus,
      allowedOrigins,
      access: props.access,
      maxUploadBytes,
      publicApiUrl: props.publicApiUrl ?? this.node.tryGetContext('publicApiUrl') ?? siteUrl,
      publicSiteUrl,
      spamBannedWords: props.spamBannedWords ?? this.node.tryGetContext('spamBannedWords'),
      search: this.search,
    });
    this.finalizer = new UploadFinalizer(this, 'Finalize', {
      table: this.table.table,
      uploads: this.uploads.bucket,
      maxUploadBytes,
    });
    this.relay = new OutboxRelay(this, 'Outbox', { table: this.table.table, bus: this.events.bus });
    this.mail = new MailSender(this, 'Mail', {
      table: this.table.table,
      from:
        props.mailFrom ??
        String(this.node.tryGetContext('mailFrom') ?? 'Portail <no-reply@portail.example.org>'),
    });
    this.counters = new CounterFolder(this, 'Counters', { table: this.table.table });
    this.searchIndexer = new SearchIndexer(this, 'SearchIndexer', {
      table: this.table.table,
      collection: this.search,
    });
    this.hostedFiles = new HostedFiles(this, 'HostedFiles', {
      table: this.table.table,
      uploads: this.uploads.bucket,
      accessLogs: this.uploads.accessLogs,
    });
    this.consumers = new EventConsumers(this, 'Consumers', {
      table: this.table.table,
      bus: this.events.bus,
      harvestSchedules: this.harvestSchedules,
      hostedFiles: this.hostedFiles,
    });
    this.logConsumers = new LogConsumers(this, 'LogConsumers', {
      table: this.table.table,
      routeFunctions: this.api.functions,
    });
    this.schedules = new ScheduledJobs(this, 'Schedules', {
      table: this.table.table,
      apiTokenSecret: this.apiTokenSecret.secret,
      publicApiUrl: props.publicApiUrl ?? this.node.tryGetContext('publicApiUrl') ?? this.api.stage.url,
      publicSiteUrl,
      harvestSteps,
      harvestSchedules: this.harvestSchedules,
    });

    this.pages = new PublicPages(this, 'Pages', {
      api: this.api.api,
      publicApiUrl: props.publicApiUrl ?? this.node.tryGetContext('publicApiUrl') ?? this.api.stage.url,
      publicSiteUrl,
    });

    this.web = new WebDistribution(this, 'Web', {
      api: this.api.api,
      uploads: this.uploads.bucket,
      accessLogs: this.uploads.accessLogs,
      originSecret: this.originSecret.secret,
      hostedFiles: this.hostedFiles,
    });

    // Browsers send files from the site (its CloudFront URL, and its own domain when one is configured)
    // and from the configured origins only.
    const siteOrigins = [this.web.url];
    if (typeof publicSiteUrl === 'string' && !Token.isUnresolved(publicSiteUrl)) {
      siteOrigins.push(new URL(publicSiteUrl).origin);
    }
    allowUploadsFrom(this.uploads, uploadOrigins(siteOrigins, allowedOrigins));

    new CfnOutput(this, 'SiteUrl', { value: this.web.url });
    new CfnOutput(this, 'ApiUrl', { value: this.api.stage.url });
    new CfnOutput(this, 'TableName', { value: this.table.table.tableName });
    new CfnOutput(this, 'UploadsBucketName', { value: this.uploads.bucket.bucketName });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'SearchEndpoint', { value: this.search.endpoint });
    new CfnOutput(this, 'SearchRebuildFunctionName', {
      value: this.searchIndexer.rebuild.lambda.functionName,
    });
  }
}
