import { API_CORS, UPLOADS_BUCKET } from '@portail/core';
import { routeGroups, routeList } from '@portail/functions/routes';
import { gatewayPath, gatewayRouteKey } from '@portail/http';
import { type CfnElement, Duration, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  type CfnStage,
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  type HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { GROUP_ACCESS, type GroupAccess } from '../group-access';
import { PortailFunction } from './portail-function';
import type { SearchCollection } from './search-collection';

export interface PortailApiProps {
  table: ITable;
  uploads: IBucket;
  bus: IEventBus;
  /** The key API tokens are hashed with (HMAC-SHA256). */
  apiTokenSecret: ISecret;
  /** The value the distribution sends to the API, for the groups that believe viewer addresses. */
  originSecret?: ISecret;
  /** The harvest step queue, for the groups that start runs. */
  harvestSteps?: { queue: IQueue; urlVariable: string };
  allowedOrigins: string[];
  /** What each route group may access; default GROUP_ACCESS. */
  access?: Record<string, GroupAccess>;
  /** MAX_UPLOAD_BYTES for the groups that sign uploads, when not the default. */
  maxUploadBytes?: number;
  /** The spam rule's banned words (comma separated), for the groups that apply it. */
  spamBannedWords?: string;
  /** The API's public URL (a custom domain); default: the stage's own URL. */
  publicApiUrl?: string;
  /** The public site's URL (`page` links); default: the API's URL. */
  publicSiteUrl?: string;
  /** The search collection the groups with `search` access query. */
  search?: SearchCollection;
}

/** HTTP API variables only (REST-only ones such as $context.identity.user are rejected). */
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    time: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    method: '$context.httpMethod',
    path: '$context.path',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLength: '$context.responseLength',
    latency: '$context.responseLatency',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

/**
 * API Gateway's own throttles, in front of the functions' atomic per-account and per-address limits:
 * every route of the stage, and much lower on the routes that check a password, create an account or
 * send a mail (guessing, sign-up floods, mail bombing). HTTP APIs take no WAF web ACL (AWS WAF protects
 * REST APIs, CloudFront, load balancers…, not HTTP APIs): a rate rule per client address belongs on the
 * CloudFront distribution that will front the API, see docs/architecture.md.
 */
export const API_THROTTLES = {
  stage: { rateLimit: 500, burstLimit: 1000 },
  sensitive: { rateLimit: 10, burstLimit: 20 },
  sensitiveOperations: ['login', 'register', 'resendConfirmation', 'requestPasswordReset', 'resetPassword'],
} as const;

/** How cdk-nag names a resource in its findings: `<LogicalId.Arn>`. */
const arnRef = (resource: IConstruct) =>
  `<${Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement)}.Arn>`;

/**
 * Where a route group's routes, its integration and its invoke permission live: a nested stack of
 * their own, so the main stack does not grow with the route table (CloudFormation takes at most 500
 * resources per stack, and every route is one). The group's function stays in the main stack, beside
 * the grants and log subscriptions that name it.
 */
export class RouteStack extends NestedStack {
  constructor(scope: Construct, id: string, description: string) {
    super(scope, id, { description });
  }
}

/**
 * The udata-compatible HTTP API, built from the route table: one function per route group, one route
 * per line of the table, each group granted only what its GroupAccess declares. Each group's routes
 * are in a nested stack of the group (`routeStacks`).
 */
export class PortailApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly functions: Record<string, PortailFunction> = {};
  readonly routeStacks: Record<string, RouteStack> = {};

  constructor(scope: Construct, id: string, props: PortailApiProps) {
    super(scope, id);

    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Portail: the udata API v1',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.allowedOrigins,
        allowMethods: API_CORS.allowedMethods.map((method) => CorsHttpMethod[method]),
        allowHeaders: [...API_CORS.allowedHeaders],
        exposeHeaders: [...API_CORS.exposedHeaders],
        maxAge: Duration.seconds(API_CORS.maxAgeSeconds),
      },
    });
    // Declared by hand (not createDefaultStage) because only an explicit stage takes access logs.
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH }),
        ),
        format: accessLogFormat,
      },
      throttle: API_THROTTLES.stage,
    });
    // Per-route settings are not in the L2 stage: set on the CloudFormation resource (raw JSON), by route key.
    const sensitive = routeList.filter((route) =>
      (API_THROTTLES.sensitiveOperations as readonly string[]).includes(route.operationId),
    );
    if (sensitive.length !== API_THROTTLES.sensitiveOperations.length) {
      throw new Error('A throttled operation of API_THROTTLES is missing from the route table.');
    }
    (this.stage.node.defaultChild as CfnStage).routeSettings = Object.fromEntries(
      sensitive.map((route) => [
        gatewayRouteKey(route),
        {
          ThrottlingRateLimit: API_THROTTLES.sensitive.rateLimit,
          ThrottlingBurstLimit: API_THROTTLES.sensitive.burstLimit,
        },
      ]),
    );

    const integrations = new Map<string, HttpLambdaIntegration>();
    for (const group of routeGroups) {
      const access = (props.access ?? GROUP_ACCESS)[group];
      if (!access) {
        throw new Error(
          `Route group "${group}" is missing from infra/group-access.ts: declare what it may access.`,
        );
      }
      const fn = this.groupFunction(group, access, props);
      this.functions[group] = fn;
      // One permission per function for the whole API: per-route permissions would outgrow the
      // function's resource policy (20 KB) as the udata routes are added.
      integrations.set(
        group,
        new HttpLambdaIntegration(`${group}-integration`, fn.lambda, { scopePermissionToRoute: false }),
      );
      // The integration and the permission are made where the group's first route is: in this stack.
      this.routeStacks[group] = new RouteStack(this, `Routes-${group}`, `Portail API: ${group} routes`);
    }

    const declared = new Set<string>();
    for (const route of routeList) {
      const key = gatewayRouteKey(route);
      if (declared.has(key)) throw new Error(`Two routes of the table are ${key} for API Gateway.`);
      declared.add(key);
      const routes = this.routeStacks[route.group]!;
      const httpRoute = new HttpRoute(routes, `Route-${route.operationId}`, {
        httpApi: this.api,
        routeKey: HttpRouteKey.with(gatewayPath(route.path), HttpMethod[route.method]),
        integration: integrations.get(route.group)!,
      });
      if (route.answersHead) {
        const head = `HEAD ${gatewayPath(route.path)}`;
        if (declared.has(head)) throw new Error(`Two routes of the table are ${head} for API Gateway.`);
        declared.add(head);
        const headRoute = new HttpRoute(routes, `Route-${route.operationId}-head`, {
          httpApi: this.api,
          routeKey: HttpRouteKey.with(gatewayPath(route.path), HttpMethod.HEAD),
          integration: integrations.get(route.group)!,
        });
        Validations.of(headRoute).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'A public read (the HEAD of a file URL), as its GET route.',
        });
      }
      // Route settings name the route: the stage is deployed after it.
      if ((API_THROTTLES.sensitiveOperations as readonly string[]).includes(route.operationId)) {
        this.stage.node.addDependency(httpRoute);
      }
      Validations.of(httpRoute).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'udata contract: callers authenticate with X-API-KEY, checked in the function with each route’s access rule; reads are public.',
      });
    }

    // Requests no route takes reach the docs function, which answers 404 or 405 (with Allow) as a
    // problem document, instead of API Gateway's bare {"message":"Not Found"}.
    const unmatched = new HttpRoute(this.routeStacks.docs!, 'Route-default', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations.get('docs')!,
    });
    Validations.of(unmatched).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Answers only 404/405/400 problem documents for requests no route of the table takes.',
    });
  }

  private groupFunction(group: string, access: GroupAccess, props: PortailApiProps): PortailFunction {
    // Absolute links (`uri`, `page`, `Location`, mails) come from here, never from request headers.
    const environment: Record<string, string> = { PUBLIC_API_URL: props.publicApiUrl ?? this.stage.url };
    if (props.publicSiteUrl) environment.PUBLIC_SITE_URL = props.publicSiteUrl;
    if (access.table) environment.TABLE_NAME = props.table.tableName;
    if (access.uploads || access.manageUploads || access.images)
      environment.BUCKET_NAME = props.uploads.bucketName;
    if (access.uploads && props.maxUploadBytes) environment.MAX_UPLOAD_BYTES = String(props.maxUploadBytes);
    if (access.spamRule && props.spamBannedWords) environment.SPAM_BANNED_WORDS = props.spamBannedWords;
    if (access.events) environment.EVENT_BUS_NAME = props.bus.eventBusName;
    if (access.harvestSteps && props.harvestSteps) {
      environment[props.harvestSteps.urlVariable] = props.harvestSteps.queue.queueUrl;
    }
    // Only where the key is: the function reads it at cold start, so it is in neither the template nor
    // the function's configuration.
    if (access.credentials) environment.API_TOKEN_SECRET_ARN = props.apiTokenSecret.secretArn;
    if (access.viewerAddress && props.originSecret)
      environment.ORIGIN_SECRET_ARN = props.originSecret.secretArn;

    const fn = new PortailFunction(this, `${group}-function`, {
      entry: `functions/${group}/entry.ts`,
      description: `Portail API: ${group} routes`,
      environment,
      ...(access.memorySize ? { memorySize: access.memorySize } : {}),
    });
    const ack = Validations.of(fn);
    if (access.table) {
      if (access.table === 'readWrite') props.table.grantReadWriteData(fn.lambda);
      else props.table.grantReadData(fn.lambda);
      ack.acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arnRef(props.table)}/index/*]`,
        reason: 'Queries on the global secondary indexes of this table only.',
      });
    }
    if (access.uploads) {
      props.uploads.grantPut(fn.lambda, `${UPLOADS_BUCKET.uploadsPrefix}*`);
      ack.acknowledge(
        {
          id: `AwsSolutions-IAM5[Resource::${arnRef(props.uploads)}/${UPLOADS_BUCKET.uploadsPrefix}*]`,
          reason: 'Presigned uploads: each one is bound to its own key under the uploads prefix when signed.',
        },
        { id: 'AwsSolutions-IAM5[Action::s3:Abort*]', reason: 'Aborting multipart uploads it started.' },
      );
    }
    if (access.uploads && access.manageUploads) {
      // udata's chunked protocol: chunks are written, read back to be assembled and deleted, here only.
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
          resources: [props.uploads.arnForObjects(`${UPLOADS_BUCKET.chunksPrefix}*`)],
        }),
      );
      ack.acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arnRef(props.uploads)}/${UPLOADS_BUCKET.chunksPrefix}*]`,
        reason: "Chunks of udata's chunked uploads, each under its uploader's and upload's own prefix.",
      });
    }
    if (access.manageUploads) {
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:ListMultipartUploadParts', 's3:DeleteObject'],
          resources: [props.uploads.arnForObjects(`${UPLOADS_BUCKET.uploadsPrefix}*`)],
        }),
      );
      // Accepted copies: what downloads serve and what goes with a deleted resource. Never written here.
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:GetObject', 's3:DeleteObject'],
          resources: [props.uploads.arnForObjects(`${UPLOADS_BUCKET.acceptedPrefix}*`)],
        }),
      );
      ack.acknowledge(
        {
          id: `AwsSolutions-IAM5[Resource::${arnRef(props.uploads)}/${UPLOADS_BUCKET.uploadsPrefix}*]`,
          reason:
            'Uploads arrive under the uploads prefix: parts are listed and unfinished files deleted there.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::${arnRef(props.uploads)}/${UPLOADS_BUCKET.acceptedPrefix}*]`,
          reason:
            'Accepted files live under the accepted prefix: downloads are signed and files deleted there.',
        },
      );
    }
    if (access.images) {
      // Images are decoded and re-encoded by this function before they are written: no presigned form
      // ever names a key under this prefix.
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
          resources: [props.uploads.arnForObjects(`${UPLOADS_BUCKET.imagesPrefix}*`)],
        }),
      );
      ack.acknowledge({
        id: `AwsSolutions-IAM5[Resource::${arnRef(props.uploads)}/${UPLOADS_BUCKET.imagesPrefix}*]`,
        reason: 'Uploaded images live under the images prefix, each under its owner’s id.',
      });
    }
    if (access.events) props.bus.grantPutEventsTo(fn.lambda);
    if (access.search) {
      if (!props.search)
        throw new Error(`route group ${group} searches, but the API has no search collection`);
      props.search.grant(fn, 'search');
    }
    if (access.harvestSteps && props.harvestSteps) props.harvestSteps.queue.grantSendMessages(fn.lambda);
    if (access.credentials) {
      // Reading the value, of this one secret: not grantRead, which also allows DescribeSecret.
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.apiTokenSecret.secretArn],
        }),
      );
    }
    if (access.viewerAddress && props.originSecret) {
      fn.lambda.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [props.originSecret.secretArn],
        }),
      );
    }
    return fn;
  }
}
