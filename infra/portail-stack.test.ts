import { readFileSync } from 'node:fs';
import {
  API_CORS,
  EVENT_BUS,
  MAIL,
  TABLE,
  UPLOADS_BUCKET,
  uploadOrigins,
  uploadsCorsRules,
} from '@portail/core';
import {
  cdnLogConsumers,
  eventConsumers,
  logConsumers,
  queueConsumers,
  scheduledJobs,
  streamConsumers,
} from '@portail/functions/consumers';
import { routeGroups, routeList } from '@portail/functions/routes';
import { gatewayPath, gatewayRouteKey } from '@portail/http';
import { PAGE_ROUTE_PATHS } from '@portail/web/page-routes';
import { App, type CfnElement, type NestedStack, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_THROTTLES } from './constructs/portail-api';
import { AWS_CUSTOM_RESOURCE_PROVIDER_ID } from './constructs/uploads-bucket';
import { GROUP_ACCESS } from './group-access';
import { PortailStack, parseOrigins } from './portail-stack';

/** The same feature flags and settings as `cdk synth`. */
const cdkContext = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;
/**
 * Skips bundling: what is under test here is the stack's declarations (bundling every function offline
 * is tested once, in `bundled-synth.test.ts`).
 */
const unbundledApp = () => new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });

type Resource = { Properties: Record<string, unknown> } & Record<string, unknown>;
type Statement = { Action: string | string[]; Resource: unknown; Effect: string; Condition?: unknown };

/**
 * The SDK call the uploads bucket's CORS resource makes at create and update (AwsCustomResource's JSON,
 * whose tokens are written `<Ref:Id>` and `<GetAtt:Id.Attribute>`).
 */
function corsCall(template: Template, stack: PortailStack) {
  const resource = template.toJSON().Resources[
    Stack.of(stack.uploads.cors!).getLogicalId(
      stack.uploads.cors!.node.findChild('Resource').node.defaultChild as CfnElement,
    )
  ] as Resource;
  const text = (value: unknown): string => {
    if (typeof value === 'string') return value;
    const token = value as {
      Ref?: string;
      'Fn::GetAtt'?: [string, string];
      'Fn::Join'?: [string, unknown[]];
    };
    if (token.Ref) return `<Ref:${token.Ref}>`;
    if (token['Fn::GetAtt']) return `<GetAtt:${token['Fn::GetAtt'].join('.')}>`;
    if (token['Fn::Join']) return token['Fn::Join'][1].map(text).join(token['Fn::Join'][0]);
    throw new Error(`unexpected token ${JSON.stringify(value)}`);
  };
  const create = JSON.parse(text(resource.Properties.Create));
  expect(JSON.parse(text(resource.Properties.Update))).toEqual(create);
  return create as {
    service: string;
    action: string;
    parameters: { Bucket: string; CORSConfiguration: { CORSRules: ReturnType<typeof uploadsCorsRules> } };
  };
}

/** A resource's logical id; a nested stack's is that of its AWS::CloudFormation::Stack in its parent. */
const logicalId = (construct: IConstruct) =>
  Stack.isStack(construct) && (construct as NestedStack).nestedStackResource
    ? Stack.of((construct as NestedStack).nestedStackResource!).getLogicalId(
        (construct as NestedStack).nestedStackResource!,
      )
    : Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

function nagErrors(scope: IConstruct): string[] {
  return new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.filter((violation) => violation.severity === 'error')
    .map((violation) => `${violation.ruleName} ${violation.violatingResources[0]?.constructPath}`);
}

function policyStatements(template: Template, role: IConstruct): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: logicalId(role) }] },
  }) as Record<string, Resource>;
  return Object.values(policies).flatMap(
    (policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

const actionsOf = (statements: Statement[]) => statements.flatMap((statement) => [statement.Action].flat());

/**
 * A value of a nested stack's template as the main stack gives it: a reference to one of the nested
 * stack's parameters becomes what the main stack passes for it.
 */
function fromParent(template: Template, nested: NestedStack, value: unknown): unknown {
  const parameters = template.toJSON().Resources[logicalId(nested)].Properties.Parameters as Record<
    string,
    unknown
  >;
  return JSON.parse(JSON.stringify(value), (_key, item) =>
    item && typeof item === 'object' && typeof item.Ref === 'string' && item.Ref in parameters
      ? parameters[item.Ref]
      : item,
  );
}

interface DeclaredRoute {
  key: string;
  stack: NestedStack;
  apiId: unknown;
  integration: Record<string, unknown>;
  /** The function the route invokes, as the main stack names it. */
  integrationUri: unknown;
}

/** Every route of the HTTP API, from the route groups' nested stacks and the pages'. */
function apiRoutes(stack: PortailStack, template: Template): DeclaredRoute[] {
  const declared: DeclaredRoute[] = [];
  for (const nested of [...Object.values(stack.api.routeStacks), stack.pages.routes]) {
    const nestedTemplate = Template.fromStack(nested);
    const integrations = nestedTemplate.findResources('AWS::ApiGatewayV2::Integration') as Record<
      string,
      Resource
    >;
    for (const route of Object.values(
      nestedTemplate.findResources('AWS::ApiGatewayV2::Route'),
    ) as Resource[]) {
      const target = JSON.stringify(route.Properties.Target);
      const [, integration] = Object.entries(integrations).find(([id]) => target.includes(`"${id}"`)) ?? [];
      declared.push({
        key: String(route.Properties.RouteKey),
        stack: nested,
        apiId: fromParent(template, nested, route.Properties.ApiId),
        integration: integration?.Properties ?? {},
        integrationUri: fromParent(template, nested, integration?.Properties.IntegrationUri),
      });
    }
  }
  return declared;
}

describe('PortailStack', () => {
  let app: App;
  let stack: PortailStack;
  let template: Template;

  beforeAll(() => {
    app = unbundledApp();
    stack = new PortailStack(app, 'Portail');
    template = Template.fromStack(stack);
  });

  describe('HTTP API', () => {
    it('declares every route of the table in its group’s nested stack, integrated with its group’s function', () => {
      const routes = apiRoutes(stack, template);
      // Every route of the table, a HEAD route for each GET that answers HEAD, plus $default (requests
      // no route takes: 404/405 problem documents), and the public pages' routes.
      const heads = routeList.filter((route) => route.answersHead);
      expect(routes).toHaveLength(routeList.length + heads.length + 1 + PAGE_ROUTE_PATHS.length);
      // Nothing of the routes is left in the main stack.
      expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Route'))).toEqual([]);
      expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Integration'))).toEqual([]);
      for (const route of heads) {
        const key = `HEAD ${gatewayPath(route.path)}`;
        const found = routes.find((r) => r.key === key);
        expect(found, key).toBeDefined();
        expect(found?.integrationUri).toEqual({
          'Fn::GetAtt': [logicalId(stack.api.functions[route.group]!.lambda), 'Arn'],
        });
      }
      const unmatched = routes.find((r) => r.key === '$default');
      expect(unmatched?.integrationUri).toEqual({
        'Fn::GetAtt': [logicalId(stack.api.functions.docs!.lambda), 'Arn'],
      });

      for (const route of routeList) {
        const found = routes.find((r) => r.key === gatewayRouteKey(route));
        expect(found, gatewayRouteKey(route)).toBeDefined();
        expect(found?.stack, gatewayRouteKey(route)).toBe(stack.api.routeStacks[route.group]);
        expect(found?.integration.IntegrationType).toBe('AWS_PROXY');
        expect(found?.integration.PayloadFormatVersion).toBe('2.0');
        expect(found?.integrationUri, gatewayRouteKey(route)).toEqual({
          'Fn::GetAtt': [logicalId(stack.api.functions[route.group]!.lambda), 'Arn'],
        });
        expect(found?.apiId).toEqual({ Ref: logicalId(stack.api.api) });
      }
    });

    it('lets API Gateway invoke each route group’s function with one permission, in the group’s stack', () => {
      for (const group of routeGroups) {
        const routeStack = stack.api.routeStacks[group]!;
        const permissions = Object.values(
          Template.fromStack(routeStack).findResources('AWS::Lambda::Permission'),
        ) as Resource[];
        expect(permissions, group).toHaveLength(1);
        expect(permissions[0]!.Properties.Principal).toBe('apigateway.amazonaws.com');
        expect(fromParent(template, routeStack, permissions[0]!.Properties.FunctionName)).toEqual({
          'Fn::GetAtt': [logicalId(stack.api.functions[group]!.lambda), 'Arn'],
        });
      }
    });

    it('keeps the table’s paths, less the trailing slash API Gateway refuses', () => {
      for (const route of routeList) {
        expect([route.path, `${gatewayPath(route.path)}/`]).toContain(route.path);
        expect(gatewayPath(route.path)).not.toMatch(/.\/$/);
      }
      expect(gatewayPath('/api/1/datasets/{dataset}/')).toBe('/api/1/datasets/{dataset}');
      expect(gatewayPath('/')).toBe('/');
    });

    it('sends every page path to the page function, which may read nothing but the public API', () => {
      const routes = apiRoutes(stack, template);
      const pageFunction = logicalId(stack.pages.function.lambda);
      for (const path of PAGE_ROUTE_PATHS) {
        const route = routes.find((r) => r.key === `GET ${path}`);
        expect(route, path).toBeDefined();
        expect(route?.stack).toBe(stack.pages.routes);
        expect(route?.integrationUri).toEqual({ 'Fn::GetAtt': [pageFunction, 'Arn'] });
      }
      const variables = template.toJSON().Resources[pageFunction].Properties.Environment.Variables;
      expect(Object.keys(variables).sort()).toEqual(['NODE_OPTIONS', 'PUBLIC_API_URL', 'PUBLIC_SITE_URL']);
      // It reads the API straight from its stage; its canonical URLs are the site's.
      expect(JSON.stringify(variables.PUBLIC_API_URL)).toContain(logicalId(stack.api.api));
      expect(JSON.stringify(variables.PUBLIC_SITE_URL)).toContain(logicalId(stack.web.distribution));
      const actions = actionsOf(policyStatements(template, stack.pages.function.lambda.role!));
      expect(actions.filter((action) => !action.startsWith('logs:') && !action.startsWith('xray:'))).toEqual(
        [],
      );
    });

    it('answers CORS preflights as API_CORS says', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: {
          AllowOrigins: ['*'],
          AllowHeaders: [...API_CORS.allowedHeaders],
          AllowMethods: [...API_CORS.allowedMethods],
          ExposeHeaders: [...API_CORS.exposedHeaders],
          MaxAge: API_CORS.maxAgeSeconds,
        },
      });
    });

    it('logs every request of the default stage', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      });
    });

    it('throttles every route, and login, sign-up and account mails much lower', () => {
      const stages = Object.values(template.findResources('AWS::ApiGatewayV2::Stage')) as Resource[];
      expect(stages).toHaveLength(1);
      const { DefaultRouteSettings, RouteSettings } = stages[0]!.Properties as {
        DefaultRouteSettings: Record<string, number>;
        RouteSettings: Record<string, Record<string, number>>;
      };
      expect(DefaultRouteSettings).toMatchObject({
        ThrottlingRateLimit: API_THROTTLES.stage.rateLimit,
        ThrottlingBurstLimit: API_THROTTLES.stage.burstLimit,
      });
      expect(Object.keys(RouteSettings).sort()).toEqual([
        'POST /confirm',
        'POST /login',
        'POST /register',
        'POST /reset',
        'POST /reset/{token}',
      ]);
      for (const settings of Object.values(RouteSettings)) {
        expect(settings).toEqual({
          ThrottlingRateLimit: API_THROTTLES.sensitive.rateLimit,
          ThrottlingBurstLimit: API_THROTTLES.sensitive.burstLimit,
        });
      }
      // Each route key exists when the stage is deployed: the stage waits for the stacks of those routes.
      const routes = apiRoutes(stack, template);
      const stageDependsOn = (stages[0] as { DependsOn?: string[] }).DependsOn ?? [];
      for (const key of Object.keys(RouteSettings)) {
        const route = routes.find((r) => r.key === key);
        expect(route, key).toBeDefined();
        expect(stageDependsOn).toContain(logicalId(route!.stack));
      }
    });
  });

  describe('functions', () => {
    it('has one function per route group plus the stream consumers, finalize and the search rebuild, with the shared defaults', () => {
      const ours = [
        ...routeGroups.map((group) => stack.api.functions[group]!),
        stack.relay.function,
        stack.mail.function,
        stack.counters.function,
        stack.searchIndexer.function,
        stack.searchIndexer.rebuild,
        // The scheduler consumer lives in the nested stack of the harvest schedules.
        ...Object.values(stack.consumers.consumers)
          .filter((consumer) => Stack.of(consumer) === stack)
          .map((consumer) => consumer.function),
        ...Object.values(stack.schedules.jobs).map((job) => job.function),
        ...Object.values(stack.queues.consumers).map((consumer) => consumer.function),
        stack.finalizer.function,
        stack.pages.function,
      ];
      expect(Object.keys(stack.api.functions).sort()).toEqual([...routeGroups].sort());
      const nodeFunctions = template.findResources('AWS::Lambda::Function', {
        Properties: { Runtime: Match.stringLikeRegexp('^nodejs') },
      });
      // And CDK's own function of AwsCustomResource, which sets the uploads bucket's CORS at deploy.
      const cdkOwn = Object.keys(nodeFunctions).filter((id) =>
        id.startsWith(AWS_CUSTOM_RESOURCE_PROVIDER_ID),
      );
      expect(cdkOwn).toHaveLength(1);
      const ourIds = Object.keys(nodeFunctions).filter((id) => !cdkOwn.includes(id));
      expect(ourIds.sort()).toEqual(ours.map((fn) => logicalId(fn.lambda)).sort());
      for (const id of ourIds) {
        expect(nodeFunctions[id]).toMatchObject({
          Properties: {
            Runtime: 'nodejs22.x',
            Architectures: ['arm64'],
            Handler: 'index.handler',
            TracingConfig: { Mode: 'Active' },
            LoggingConfig: { LogGroup: expect.anything() },
          },
        });
      }
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    });

    it('gives each function only the environment it needs', () => {
      const env = (fn: IConstruct) =>
        (template.toJSON().Resources[logicalId(fn)].Properties.Environment?.Variables ?? {}) as Record<
          string,
          unknown
        >;
      expect(env(stack.api.functions.datasets!.lambda)).toMatchObject({
        TABLE_NAME: { Ref: logicalId(stack.table.table) },
      });
      expect(env(stack.api.functions.datasets!.lambda).API_TOKEN_SECRET_ARN).toEqual({
        Ref: logicalId(stack.apiTokenSecret.secret),
      });
      // Login and sign-up throttles, and the visits that count reads and downloads once per visitor, count
      // the viewer's address: those groups know where the distribution's secret is; the others do not.
      for (const group of ['accounts', 'datasets', 'resources']) {
        expect(env(stack.api.functions[group]!.lambda).ORIGIN_SECRET_ARN, group).toEqual({
          Ref: logicalId(stack.originSecret.secret),
        });
      }
      expect(env(stack.api.functions.reuses!.lambda).ORIGIN_SECRET_ARN).toBeUndefined();
      expect(Object.keys(env(stack.api.functions.docs!.lambda)).sort()).toEqual([
        'NODE_OPTIONS',
        'PUBLIC_API_URL',
        'PUBLIC_SITE_URL',
      ]);
      // Links are built on the site's own URL (CloudFront serves `/api/*` there), never on the request's
      // Host header.
      for (const fn of Object.values(stack.api.functions)) {
        expect(env(fn.lambda).PUBLIC_API_URL).toEqual({
          'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [logicalId(stack.web.distribution), 'DomainName'] }]],
        });
        expect(env(fn.lambda).PUBLIC_SITE_URL).toEqual(env(fn.lambda).PUBLIC_API_URL);
      }
      expect(env(stack.relay.function.lambda)).toMatchObject({
        EVENT_BUS_NAME: { Ref: logicalId(stack.events.bus) },
      });
    });

    it('never puts the API token key in a function’s environment, only where to read it', () => {
      const functions = template.findResources('AWS::Lambda::Function') as Record<string, Resource>;
      expect(Object.keys(functions).length).toBeGreaterThan(0);
      for (const [id, fn] of Object.entries(functions)) {
        const variables = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)
          ?.Variables;
        const text = JSON.stringify(variables ?? {});
        expect(text, id).not.toMatch(/resolve:secretsmanager|SecretString|secretValue/i);
        expect(Object.keys(variables ?? {}), id).not.toContain('API_TOKEN_SECRET');
        // The secrets may be named (their ARN, a Ref) and nothing else of them.
        for (const secret of [stack.apiTokenSecret.secret, stack.originSecret.secret]) {
          expect(text.replaceAll(`{"Ref":"${logicalId(secret)}"}`, ''), id).not.toContain(logicalId(secret));
        }
        expect(Object.keys(variables ?? {}), id).not.toContain('ORIGIN_SECRET');
      }
    });

    it('lets exactly the functions that resolve callers read the key, and nothing else of Secrets Manager', () => {
      const readers = [...routeGroups]
        .filter((group) => GROUP_ACCESS[group]?.credentials)
        .map((group) => stack.api.functions[group]!);
      expect(readers.length).toBeGreaterThan(0);
      const everyFunction = [
        ...routeGroups.map((group) => stack.api.functions[group]!),
        stack.relay.function,
        stack.mail.function,
        stack.finalizer.function,
      ];
      for (const fn of everyFunction) {
        const statements = policyStatements(template, fn.lambda.role!).filter((statement) =>
          actionsOf([statement]).some((action) => action.startsWith('secretsmanager:')),
        );
        const viewerAddress = routeGroups.some(
          (group) => GROUP_ACCESS[group]?.viewerAddress && stack.api.functions[group] === fn,
        );
        if (readers.includes(fn)) {
          const secrets = [
            { Ref: logicalId(stack.apiTokenSecret.secret) },
            // The groups that believe CloudFront's viewer address read the origin secret too.
            ...(viewerAddress ? [{ Ref: logicalId(stack.originSecret.secret) }] : []),
          ];
          expect(statements, fn.node.path).toEqual([
            expect.objectContaining({
              Effect: 'Allow',
              Action: 'secretsmanager:GetSecretValue',
              Resource: secrets.length === 1 ? secrets[0] : secrets,
            }),
          ]);
        } else {
          expect(statements, fn.node.path).toEqual([]);
        }
      }
    });

    it('grants the datasets function the table, nothing of the bus or the bucket', () => {
      const statements = policyStatements(template, stack.api.functions.datasets!.lambda.role!);
      const actions = actionsOf(statements);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:Query']));
      expect(actions.filter((action) => /^(s3|sqs):/.test(action))).toEqual([]);
      // A read of a dataset (its `views`) is a line of its log, counted from there: no PutEvents.
      expect(actions.filter((action) => action.startsWith('events:'))).toEqual([]);
      for (const group of ['datasets', 'resources']) {
        const variables = template.toJSON().Resources[logicalId(stack.api.functions[group]!.lambda)]
          .Properties.Environment.Variables as Record<string, unknown>;
        expect(Object.keys(variables), group).not.toContain('EVENT_BUS_NAME');
      }
      const dynamo = statements.find((statement) => actionsOf([statement]).includes('dynamodb:PutItem'));
      expect(JSON.stringify(dynamo?.Resource)).toContain(logicalId(stack.table.table));
    });

    it('grants the docs function nothing but its own logs and tracing', () => {
      const actions = actionsOf(policyStatements(template, stack.api.functions.docs!.lambda.role!));
      expect(actions.sort()).toEqual(
        [
          'logs:CreateLogStream',
          'logs:PutLogEvents',
          'xray:PutTelemetryRecords',
          'xray:PutTraceSegments',
        ].sort(),
      );
    });

    it('lets the relay put events on the bus only', () => {
      const statements = policyStatements(template, stack.relay.function.lambda.role!);
      const putEvents = statements.filter((statement) => actionsOf([statement]).includes('events:PutEvents'));
      expect(putEvents).toHaveLength(1);
      expect(putEvents[0]?.Resource).toEqual({ 'Fn::GetAtt': [logicalId(stack.events.bus), 'Arn'] });
      expect(
        actionsOf(statements).filter((action) => /^(s3|dynamodb:(Put|Update|Delete))/.test(action)),
      ).toEqual([]);
    });
  });

  describe('outbox relay', () => {
    it('reads the stream from the start, with failures reported per item and a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: logicalId(stack.relay.function.lambda) },
        EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.table.table), 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: Match.anyValue(),
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.relay.failures), 'Arn'] } },
        },
      });
    });

    it('gives each stream consumer of the consumer table the changes it selects, and no other', () => {
      const mappings = template.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>;
      const byFunction = new Map(
        Object.values(mappings)
          .filter((mapping) => mapping.Properties.FilterCriteria)
          .map((mapping) => [
            JSON.stringify(mapping.Properties.FunctionName),
            (mapping.Properties.FilterCriteria as { Filters: { Pattern: string }[] }).Filters.map((filter) =>
              JSON.parse(filter.Pattern),
            ),
          ]),
      );
      const functions = {
        relay: stack.relay.function,
        mail: stack.mail.function,
        counters: stack.counters.function,
        search: stack.searchIndexer.function,
      };
      expect(Object.keys(functions).sort()).toEqual(streamConsumers.map((consumer) => consumer.name).sort());
      expect(byFunction.size).toBe(streamConsumers.length);
      expect(byFunction.get(JSON.stringify({ Ref: logicalId(stack.relay.function.lambda) }))).toEqual([
        { eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [EVENT_BUS.outboxMarker] } } } },
      ]);
      expect(byFunction.get(JSON.stringify({ Ref: logicalId(stack.mail.function.lambda) }))).toEqual([
        { eventName: ['INSERT'], dynamodb: { Keys: { SK: { S: [MAIL.marker] } } } },
      ]);
      expect(byFunction.get(JSON.stringify({ Ref: logicalId(stack.counters.function.lambda) }))).toEqual([
        {
          dynamodb: {
            Keys: {
              SK: {
                S: [
                  'DATASET',
                  'USER',
                  'ORG',
                  'DISCUSSION',
                  'REPORT',
                  'REUSE',
                  { prefix: 'COMMUNITY#' },
                  { prefix: 'LINK#' },
                  { prefix: '~FOLLOW#' },
                ],
              },
            },
          },
        },
      ]);
      expect(byFunction.get(JSON.stringify({ Ref: logicalId(stack.searchIndexer.function.lambda) }))).toEqual(
        [
          {
            dynamodb: {
              Keys: {
                SK: {
                  S: [
                    'DATASET',
                    'ORG',
                    'REUSE',
                    'USER',
                    'METRICS',
                    { prefix: 'RESOURCE#' },
                    { prefix: 'COMMUNITY#' },
                  ],
                },
              },
            },
          },
          // Of the counters, only those of organizations' datasets (their public total orders them).
          {
            dynamodb: {
              Keys: {
                PK: { S: [{ prefix: 'COUNTER#datasets:organization:' }] },
                SK: { S: ['COUNTER'] },
              },
            },
          },
        ],
      );
    });

    it('runs each scheduled job of the consumer table on its rate, with only what it needs', () => {
      for (const job of scheduledJobs) {
        const built = stack.schedules.jobs[job.name];
        template.hasResourceProperties('AWS::Events::Rule', {
          ScheduleExpression: `rate(${job.everyMinutes} minute${job.everyMinutes === 1 ? '' : 's'})`,
          Targets: Match.arrayWith([
            Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(built.function.lambda), 'Arn'] } }),
          ]),
        });
      }
      const digest = actionsOf(policyStatements(template, stack.schedules.jobs.digest.function.lambda.role!));
      expect(digest).toContain('secretsmanager:GetSecretValue');
      expect(digest).not.toContain('dynamodb:UpdateItem');
      const retries = actionsOf(
        policyStatements(template, stack.schedules.jobs['webhook-retries'].function.lambda.role!),
      );
      expect(retries).not.toContain('dynamodb:PutItem');
      expect(retries).not.toContain('secretsmanager:GetSecretValue');
      // The harvest tick starts runs: it may send to the step queue, is told its URL, reads no secret.
      const tick = stack.schedules.jobs['harvest-tick'].function.lambda;
      const tickActions = actionsOf(policyStatements(template, tick.role!));
      expect(tickActions).toContain('sqs:SendMessage');
      expect(tickActions).not.toContain('secretsmanager:GetSecretValue');
      const tickFunction = template.findResources('AWS::Lambda::Function')[logicalId(tick)] as Resource;
      const tickEnv = (tickFunction.Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(tickEnv.HARVEST_STEPS_QUEUE_URL).toEqual({
        Ref: logicalId(stack.queues.consumers['harvest-steps'].queue),
      });
    });

    it('lets the counters consumer add to counters and write its markers only', () => {
      const statements = policyStatements(template, stack.counters.function.lambda.role!);
      const table = statements.find((statement) => actionsOf([statement]).includes('dynamodb:PutItem'));
      expect(actionsOf([table!]).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
      expect(JSON.stringify(table!.Condition)).toContain('COUNTER#*');
      expect(JSON.stringify(table!.Condition)).toContain('DONE#counters#*');
      expect(actionsOf(statements)).not.toContain('dynamodb:DeleteItem');
      // In datasets' partitions: only UpdateItem, and only of the metric attributes.
      const metrics = statements.find((statement) =>
        JSON.stringify(statement.Condition ?? {}).includes('REUSE#*'),
      );
      expect(actionsOf([metrics!])).toEqual(['dynamodb:UpdateItem']);
      expect(metrics!.Condition).toMatchObject({
        'ForAllValues:StringEquals': {
          'dynamodb:Attributes': ['PK', 'SK', 'discussions', 'discussions_open', 'followers', 'reuses'],
        },
      });
    });

    it('lets the mail sender read and delete mail items, keep its idempotency records, and send through SES', () => {
      const statements = policyStatements(template, stack.mail.function.lambda.role!);
      const table = statements.find((statement) => actionsOf([statement]).includes('dynamodb:DeleteItem'));
      expect(actionsOf([table!]).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem']);
      expect(JSON.stringify(table!.Condition)).toContain('MAIL#*');
      expect(actionsOf(statements)).toContain('ses:SendEmail');
      // Writes only its idempotency records, in their own partition.
      const writes = statements.filter((statement) => actionsOf([statement]).includes('dynamodb:PutItem'));
      expect(writes).toHaveLength(1);
      expect(JSON.stringify(writes[0]!.Condition)).toContain('IDEMPOTENCY#mail');
    });

    it('gives each consumer of the bus a rule on its event types into its queue, batches, retries, a dead-letter queue and an alarm on it', () => {
      const mainTemplate = template;
      expect(Object.keys(stack.consumers.consumers).sort()).toEqual(
        eventConsumers.map((consumer) => consumer.name).sort(),
      );
      for (const definition of eventConsumers) {
        const consumer = stack.consumers.consumers[definition.name];
        // A consumer in a nested stack (the scheduler) reads the bus's name from a parameter.
        const nested = Stack.of(consumer) !== stack;
        const template = nested ? Template.fromStack(Stack.of(consumer)) : mainTemplate;
        const deadLetters = { 'Fn::GetAtt': [logicalId(consumer.deadLetters), 'Arn'] };
        template.hasResourceProperties('AWS::Events::Rule', {
          EventBusName: nested ? Match.anyValue() : { Ref: logicalId(stack.events.bus) },
          EventPattern: { source: [EVENT_BUS.source], 'detail-type': [...definition.eventTypes] },
          Targets: [
            Match.objectLike({
              Arn: { 'Fn::GetAtt': [logicalId(consumer.queue), 'Arn'] },
              DeadLetterConfig: { Arn: deadLetters },
              RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
            }),
          ],
        });
        // A failed event is received again alone, `retries` more times, then moved to the dead letters.
        template.hasResourceProperties('AWS::SQS::Queue', {
          RedrivePolicy: { deadLetterTargetArn: deadLetters, maxReceiveCount: definition.retries + 1 },
        });
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: logicalId(consumer.function.lambda) },
          EventSourceArn: { 'Fn::GetAtt': [logicalId(consumer.queue), 'Arn'] },
          BatchSize: definition.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          // A consumer whose transactions share items (the activity totals) runs few invocations at once.
          ScalingConfig:
            'maxConcurrency' in definition
              ? { MaximumConcurrency: definition.maxConcurrency }
              : Match.absent(),
        });
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Dimensions: [
            { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(consumer.deadLetters), 'QueueName'] } },
          ],
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    });

    it('runs harvest steps from a queue, one message at a time, bounded, retried alone, then kept with an alarm', () => {
      expect(Object.keys(stack.queues.consumers).sort()).toEqual(
        queueConsumers.map((queue) => queue.name).sort(),
      );
      for (const definition of queueConsumers) {
        const consumer = stack.queues.consumers[definition.name];
        template.hasResourceProperties('AWS::SQS::Queue', {
          VisibilityTimeout: definition.visibilityTimeoutSeconds,
          RedrivePolicy: {
            deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(consumer.deadLetters), 'Arn'] },
            maxReceiveCount: definition.maxReceiveCount,
          },
        });
        template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
          FunctionName: { Ref: logicalId(consumer.function.lambda) },
          EventSourceArn: { 'Fn::GetAtt': [logicalId(consumer.queue), 'Arn'] },
          BatchSize: 1,
          ScalingConfig: { MaximumConcurrency: definition.maxConcurrency },
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        });
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [
            { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(consumer.deadLetters), 'QueueName'] } },
          ],
          Threshold: 1,
        });
        const functionEnv = template.toJSON().Resources[logicalId(consumer.function.lambda)].Properties
          .Environment.Variables as Record<string, unknown>;
        expect(functionEnv[definition.urlVariable]).toEqual({ Ref: logicalId(consumer.queue) });
      }
      // The API's harvest group starts runs: it may send to the queue and nothing else of SQS.
      const harvest = stack.api.functions.harvest!;
      const sqsActions = actionsOf(policyStatements(template, harvest.lambda.role!)).filter((action) =>
        action.startsWith('sqs:'),
      );
      expect(sqsActions.sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    });

    it('subscribes each log consumer to the log groups of the functions that write its lines, retried, with a dead-letter queue and an alarm', () => {
      expect(Object.keys(stack.logConsumers.consumers).sort()).toEqual(
        logConsumers.map((consumer) => consumer.name).sort(),
      );
      // In a nested stack: what the main stack hands it, by parameter name.
      const nested = Template.fromStack(stack.logConsumers);
      const nestedResource = template.toJSON().Resources[
        Stack.of(stack).getLogicalId(stack.logConsumers.nestedStackResource as CfnElement)
      ] as { Type: string; Properties: { Parameters: Record<string, unknown> } };
      expect(nestedResource.Type).toBe('AWS::CloudFormation::Stack');
      const parameterFor = (value: unknown) =>
        Object.entries(nestedResource.Properties.Parameters).find(
          ([, given]) => JSON.stringify(given) === JSON.stringify(value),
        )?.[0];
      for (const definition of logConsumers) {
        const consumer = stack.logConsumers.consumers[definition.name];
        const target = { 'Fn::GetAtt': [logicalId(consumer.function.lambda), 'Arn'] };
        const filters = nested.findResources('AWS::Logs::SubscriptionFilter', {
          Properties: { DestinationArn: target },
        });
        expect(Object.keys(filters)).toHaveLength(definition.routeGroups.length);
        for (const group of definition.routeGroups) {
          const source = stack.api.functions[group]!;
          // The very log group the route group's function writes to.
          template.hasResourceProperties('AWS::Lambda::Function', {
            LoggingConfig: { LogGroup: { Ref: logicalId(source.logGroup) } },
          });
          const logGroupName = parameterFor({ Ref: logicalId(source.logGroup) });
          expect(logGroupName, group).toBeDefined();
          nested.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
            LogGroupName: { Ref: logGroupName },
            DestinationArn: target,
            FilterPattern: Match.stringLikeRegexp('statistic\\.type'),
          });
          // CloudWatch Logs may invoke the consumer, from that log group only.
          const logGroupArn = parameterFor({ 'Fn::GetAtt': [logicalId(source.logGroup), 'Arn'] });
          expect(logGroupArn, group).toBeDefined();
          nested.hasResourceProperties('AWS::Lambda::Permission', {
            Action: 'lambda:InvokeFunction',
            FunctionName: target,
            Principal: 'logs.amazonaws.com',
            SourceArn: { Ref: logGroupArn },
          });
        }
        for (const filter of Object.values(filters) as { Properties: { FilterPattern: string } }[]) {
          for (const type of definition.eventTypes) {
            expect(filter.Properties.FilterPattern).toContain(`$.statistic.type = "${type}"`);
          }
        }
        const queue = { 'Fn::GetAtt': [logicalId(consumer.deadLetters), 'Arn'] };
        nested.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
          FunctionName: { Ref: logicalId(consumer.function.lambda) },
          MaximumRetryAttempts: Math.min(definition.retries, 2),
          DestinationConfig: { OnFailure: { Destination: queue } },
        });
        nested.hasResourceProperties('AWS::CloudWatch::Alarm', {
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Namespace: 'AWS/SQS',
          Dimensions: [
            { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(consumer.deadLetters), 'QueueName'] } },
          ],
          Threshold: 1,
        });
        // The function has the shared defaults of every Portail function.
        nested.hasResourceProperties('AWS::Lambda::Function', {
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          LoggingConfig: { LogGroup: { Ref: logicalId(consumer.function.logGroup) } },
        });
      }
      // Statistics never go to the bus any more: no rule reads them.
      const rules = JSON.stringify(template.findResources('AWS::Events::Rule'));
      expect(rules).not.toContain('dataset.viewed');
      expect(rules).not.toContain('dataset.resource.downloaded');
    });

    it('lets the statistics consumer add to datasets and resources and write its markers only', () => {
      const statements = policyStatements(
        Template.fromStack(stack.logConsumers),
        stack.logConsumers.consumers.statistics.function.lambda.role!,
      );
      const table = statements.find((statement) => actionsOf([statement]).includes('dynamodb:UpdateItem'));
      expect(actionsOf([table!]).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:UpdateItem']);
      expect(JSON.stringify(table!.Condition)).toContain('DATASET#*');
      expect(JSON.stringify(table!.Condition)).toContain('DONE#downloads#*');
    });

    it('lets the quality consumer read datasets and write their quality with its event only', () => {
      const statements = policyStatements(template, stack.consumers.consumers.quality.function.lambda.role!);
      const table = statements.filter((statement) =>
        actionsOf([statement]).some((action) => action.startsWith('dynamodb:')),
      );
      expect(actionsOf(table).sort()).toEqual(['dynamodb:PutItem', 'dynamodb:Query']);
      const put = table.find((statement) => actionsOf([statement]).includes('dynamodb:PutItem'));
      expect(JSON.stringify(put!.Condition)).toContain('DATASET#*');
      expect(JSON.stringify(put!.Condition)).toContain('OUTBOX#*');
      const query = table.find((statement) => actionsOf([statement]).includes('dynamodb:Query'));
      expect(JSON.stringify(query!.Condition)).toContain('DATASET#*');
      // The open discussions of a dataset, on their subject's listing.
      expect(JSON.stringify(query!.Condition)).toContain('SUBJECT#*');
    });

    it('keeps failed batches in an encrypted, TLS-only queue', () => {
      template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('table', () => {
    it('is built from TABLE', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          KeySchema: [
            { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
          ],
          BillingMode: 'PAY_PER_REQUEST',
          GlobalSecondaryIndexes: TABLE.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey, KeyType: 'HASH' },
              { AttributeName: index.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
          SSESpecification: { SSEEnabled: true },
        },
      });
    });
  });

  describe('uploads bucket', () => {
    const uploads = () => logicalId(stack.uploads.bucket);

    it('is private, encrypted, logged and kept', () => {
      expect(template.toJSON().Resources[uploads()]).toMatchObject({
        DeletionPolicy: 'Retain',
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
            ],
          },
          LoggingConfiguration: { DestinationBucketName: { Ref: logicalId(stack.uploads.accessLogs) } },
        },
      });
    });

    it('drops the chunks of chunked uploads never completed after two days', () => {
      const rules = template.toJSON().Resources[uploads()].Properties.LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({
          Prefix: UPLOADS_BUCKET.chunksPrefix,
          ExpirationInDays: 2,
          Status: 'Enabled',
        }),
      );
    });

    it('refuses requests without TLS', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: uploads() },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('lets browsers upload from the site’s origin only, and read from anywhere', () => {
      // Not a property of the bucket: the rules name the distribution, which names the bucket.
      expect(template.toJSON().Resources[uploads()].Properties.CorsConfiguration).toBeUndefined();
      const call = corsCall(template, stack);
      expect(call).toMatchObject({ service: 'S3', action: 'putBucketCors' });
      expect(call.parameters).toEqual({
        Bucket: `<Ref:${uploads()}>`,
        CORSConfiguration: {
          // cdk.json's allowedOrigins is ["*"]: the API takes any origin, uploads only the site's.
          CORSRules: uploadsCorsRules([`https://<GetAtt:${logicalId(stack.web.distribution)}.DomainName>`]),
        },
      });
      const [read, upload] = call.parameters.CORSConfiguration.CORSRules;
      expect(read).toMatchObject({ AllowedOrigins: ['*'], AllowedMethods: ['GET', 'HEAD'] });
      expect(upload?.AllowedMethods).toEqual(['PUT', 'POST']);
      // Its function may set this bucket's CORS and nothing else.
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            { Action: 's3:PutBucketCORS', Effect: 'Allow', Resource: { 'Fn::GetAtt': [uploads(), 'Arn'] } },
          ],
        },
      });
    });

    it('sends its events to EventBridge, where finalize subscribes', () => {
      template.hasResourceProperties('Custom::S3BucketNotifications', {
        BucketName: { Ref: uploads() },
        NotificationConfiguration: { EventBridgeConfiguration: {} },
      });
    });
  });

  describe('finalize', () => {
    const finalize = () => stack.finalizer.function.lambda;

    it('runs on the bucket’s Object Created events under the uploads prefix, with a dead-letter queue', () => {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: {
          source: ['aws.s3'],
          'detail-type': ['Object Created'],
          detail: {
            bucket: { name: [{ Ref: logicalId(stack.uploads.bucket) }] },
            object: { key: [{ prefix: UPLOADS_BUCKET.uploadsPrefix }] },
          },
        },
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalId(finalize()), 'Arn'] },
            DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack.finalizer.failures), 'Arn'] } },
            RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
          }),
        ],
      });
      // The rule is on the default bus, where S3 sends its events (not on Portail's own bus).
      const rule = Object.values(template.findResources('AWS::Events::Rule')).find((resource) =>
        JSON.stringify(resource).includes('Object Created'),
      ) as Resource;
      expect(rule.Properties.EventBusName).toBeUndefined();
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId(finalize()) },
        MaximumRetryAttempts: 2,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalId(stack.finalizer.failures), 'Arn'] } },
        },
      });
    });

    it('may read and delete uploads, write accepted copies only, and write dataset partitions, pointers, outbox and counters only', () => {
      const statements = policyStatements(template, finalize().role!);
      const s3 = statements.filter((statement) =>
        actionsOf([statement]).some((action) => action.startsWith('s3:')),
      );
      const on = (prefix: string) =>
        actionsOf(
          s3.filter((statement) => JSON.stringify(statement.Resource).includes(`/${prefix}*`)),
        ).sort();
      expect(on(UPLOADS_BUCKET.uploadsPrefix)).toEqual([
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:GetObjectVersion',
      ]);
      // It writes only where no presigned request can.
      expect(on(UPLOADS_BUCKET.acceptedPrefix)).toEqual([
        's3:AbortMultipartUpload',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
        's3:GetObject',
        's3:PutObject',
      ]);
      expect(on(UPLOADS_BUCKET.uploadsPrefix)).not.toContain('s3:PutObject');
      const dynamo = statements.filter((statement) =>
        actionsOf([statement]).some((action) => action.startsWith('dynamodb:')),
      );
      expect(dynamo).toHaveLength(1);
      expect(actionsOf(dynamo)).not.toContain('dynamodb:Scan');
      expect(dynamo[0]!.Condition).toEqual({
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': ['DATASET#*', 'RESOURCE#*', 'OUTBOX#*', 'COUNTER#*'],
        },
      });
      // The on-failure destination only; nothing on the bus.
      expect(
        actionsOf(statements)
          .filter((action) => /^(events|sqs):/.test(action))
          .sort(),
      ).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    });

    it('gives the images function the memory to decode the largest image it takes', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'Portail API: images routes',
        MemorySize: 2048,
      });
    });

    it('has the time and memory to stream a large file once', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('finalize'),
        Timeout: 900,
        MemorySize: 2048,
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: { Ref: logicalId(stack.table.table) },
            BUCKET_NAME: { Ref: logicalId(stack.uploads.bucket) },
          }),
        },
      });
    });
  });

  describe('resources function', () => {
    it('signs uploads under the uploads prefix only, downloads and deletes accepted files, and keeps chunks under theirs', () => {
      const statements = policyStatements(template, stack.api.functions.resources!.lambda.role!);
      const s3 = statements.filter((statement) =>
        actionsOf([statement]).some((action) => action.startsWith('s3:')),
      );
      expect(actionsOf(s3)).toEqual(
        expect.arrayContaining([
          's3:PutObject',
          's3:Abort*',
          's3:GetObject',
          's3:ListMultipartUploadParts',
          's3:DeleteObject',
        ]),
      );
      for (const statement of s3) {
        const resource = JSON.stringify(statement.Resource);
        if (resource.includes(`/${UPLOADS_BUCKET.acceptedPrefix}*`)) {
          // Accepted copies are never written by the API: only finalize makes them.
          expect(actionsOf([statement]).sort()).toEqual(['s3:DeleteObject', 's3:GetObject']);
        } else if (resource.includes(`/${UPLOADS_BUCKET.chunksPrefix}*`)) {
          // Chunks of udata's chunked protocol: written, read back and deleted by the API only.
          expect(actionsOf([statement]).sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:PutObject']);
        } else {
          expect(resource).toContain(`/${UPLOADS_BUCKET.uploadsPrefix}*`);
        }
      }
      expect(actionsOf(statements)).not.toContain('s3:ListBucket');
    });
  });

  it('has the event bus, archived', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'portail-events' });
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: { 'Fn::GetAtt': [logicalId(stack.events.bus), 'Arn'] },
      EventPattern: { source: [EVENT_BUS.source] },
    });
  });

  it('outputs the site and API URLs, table, bucket and bus names, and what redriving each consumer and queue needs', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    const base = [
      'ApiUrl',
      'EventBusName',
      'SearchEndpoint',
      'SearchRebuildFunctionName',
      'SiteUrl',
      'TableName',
      'UploadsBucketName',
    ];
    expect(outputs.filter((name) => base.includes(name)).sort()).toEqual(base.sort());
    // Output ids keep letters and digits only.
    for (const consumer of eventConsumers.map(({ name }) => name.replaceAll('-', ''))) {
      expect(outputs.filter((name) => name.includes(`${consumer}DeadLetterQueue`))).toHaveLength(1);
      expect(outputs.filter((name) => name.includes(`${consumer}Queue`))).toHaveLength(1);
      expect(outputs.filter((name) => name.includes(`${consumer}Function`))).toHaveLength(1);
    }
    for (const consumer of [...logConsumers, ...cdnLogConsumers].map(({ name }) =>
      name.replaceAll('-', ''),
    )) {
      expect(outputs.filter((name) => name.includes(`${consumer}DeadLetterQueue`))).toHaveLength(1);
      expect(outputs.filter((name) => name.includes(`${consumer}Function`))).toHaveLength(1);
    }
    // Where the hidden-files consumer writes (a key value store is edited with its ARN).
    expect(outputs).toContain('HiddenFilesStoreArn');
    for (const queue of queueConsumers) {
      expect(outputs.filter((name) => name.includes(`${queue.name.replaceAll('-', '')}Queue`))).toHaveLength(
        1,
      );
      expect(
        outputs.filter((name) => name.includes(`${queue.name.replaceAll('-', '')}DeadLetterQueue`)),
      ).toHaveLength(1);
    }
    expect(outputs).toHaveLength(
      base.length +
        3 * eventConsumers.length +
        2 * (logConsumers.length + cdnLogConsumers.length) +
        2 * queueConsumers.length +
        1,
    );
  });

  it('passes cdk-nag AwsSolutions with no unacknowledged error', () => {
    expect(nagErrors(app)).toEqual([]);
  });
});

describe('cdk-nag', () => {
  it('does report errors (the check above is not a no-op)', () => {
    const stack = new Stack(new App(), 'Bad');
    new Queue(stack, 'Plain');
    expect(nagErrors(stack)).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions-SQS3 /)]));
  });
});

describe('group access', () => {
  it('refuses a route group that declares no access', () => {
    const { datasets: _omitted, ...withoutDatasets } = GROUP_ACCESS;
    expect(() => new PortailStack(unbundledApp(), 'Portail', { access: withoutDatasets })).toThrow(
      /Route group "datasets" is missing/,
    );
  });

  it('grants uploads under the prefix and direct events when declared, still nag-clean', () => {
    const app = unbundledApp();
    const stack = new PortailStack(app, 'Portail', {
      access: { ...GROUP_ACCESS, datasets: { table: 'read', uploads: true, events: true } },
    });
    const template = Template.fromStack(stack);
    const statements = policyStatements(template, stack.api.functions.datasets!.lambda.role!);
    const actions = actionsOf(statements);
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 'events:PutEvents', 'dynamodb:Query']));
    expect(actions).not.toContain('dynamodb:PutItem');
    const put = statements.find((statement) => actionsOf([statement]).includes('s3:PutObject'));
    expect(JSON.stringify(put?.Resource)).toContain(`/${UPLOADS_BUCKET.uploadsPrefix}*`);
    expect(nagErrors(app)).toEqual([]);
  });
});

describe('upload origins', () => {
  it('adds the configured origins and the site’s own domain to the distribution’s, never `*`', () => {
    const stack = new PortailStack(unbundledApp(), 'Portail', {
      allowedOrigins: ['*', 'https://partner.example/upload/', 'http://localhost:8080'],
      publicSiteUrl: 'https://data.example.org',
    });
    const call = corsCall(Template.fromStack(stack), stack);
    const [, upload] = call.parameters.CORSConfiguration.CORSRules;
    expect(upload?.AllowedOrigins).toEqual([
      `https://<GetAtt:${logicalId(stack.web.distribution)}.DomainName>`,
      'https://data.example.org',
      'https://partner.example',
      'http://localhost:8080',
    ]);
  });

  it('refuses a configured origin that is not an http(s) URL, naming it', () => {
    expect(() => uploadOrigins(['https://site.example'], ['ftp://files.example'])).toThrow(/ftp:\/\/files/);
    expect(() => uploadOrigins(['https://site.example'], ['partner.example'])).toThrow(/partner\.example/);
  });
});

describe('parseOrigins', () => {
  it('reads a list, a comma-separated string or nothing', () => {
    expect(parseOrigins(['https://a.example'])).toEqual(['https://a.example']);
    expect(parseOrigins('https://a.example, https://b.example')).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(parseOrigins(undefined)).toEqual(['*']);
    expect(parseOrigins([])).toEqual(['*']);
  });
});
