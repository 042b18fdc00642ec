import { readFileSync } from 'node:fs';
import { HOSTED_FILES, UPLOADS_BUCKET } from '@portail/core';
import { CSRF_HEADER } from '@portail/http/auth';
import { FIELD_MASK_HEADER } from '@portail/http/field-mask';
import { ORIGIN_SECRET_HEADER, VIEWER_ADDRESS_HEADER } from '@portail/http/viewer-address';
import {
  CACHE_CONTROL,
  cspHash,
  PAGE_CSP,
  serializeCsp,
  WEB_PATHS,
  workspaceCsp,
} from '@portail/web/delivery';
import { PAGE_STYLE } from '@portail/web/layout';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROUTING } from './constructs/web-distribution';
import { PortailStack } from './portail-stack';

const cdkContext = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')).context;

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
interface Behavior {
  PathPattern?: string;
  TargetOriginId: string;
  CachePolicyId: unknown;
  OriginRequestPolicyId?: string;
  ResponseHeadersPolicyId: unknown;
  AllowedMethods: string[];
  ViewerProtocolPolicy: string;
  FunctionAssociations?: { EventType: string; FunctionARN: unknown }[];
}
interface Origin {
  Id: string;
  DomainName: unknown;
  OriginAccessControlId?: unknown;
  S3OriginConfig?: unknown;
  CustomOriginConfig?: { OriginProtocolPolicy: string };
  OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
}

/** CloudFront's managed policies, by id. */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

const logicalId = (construct: IConstruct) =>
  Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);

/** A CSP as the template holds it (a string, or a join with the uploads bucket's domain), as text. */
const joined = (value: unknown, bucketDomain: string): string => {
  if (typeof value === 'string') return value;
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : bucketDomain)).join('');
};

const directives = (csp: string) =>
  Object.fromEntries(
    csp.split(';').map((directive) => {
      const [name, ...sources] = directive.trim().split(/\s+/);
      return [name!, sources];
    }),
  );

describe('the web distribution', () => {
  let stack: PortailStack;
  let resources: Record<string, Resource>;
  let behaviors: Behavior[];
  let origins: Origin[];
  const behavior = (pattern: string) => behaviors.find((each) => each.PathPattern === pattern)!;
  const originOf = (each: Behavior) => origins.find((origin) => origin.Id === each.TargetOriginId)!;
  const policy = (ref: unknown) => resources[(ref as { Ref: string }).Ref]!.Properties;

  beforeAll(() => {
    const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
    stack = new PortailStack(app, 'Portail');
    resources = Template.fromStack(stack).toJSON().Resources;
    const config = resources[logicalId(stack.web.distribution)]!.Properties.DistributionConfig as {
      DefaultCacheBehavior: Behavior;
      CacheBehaviors: Behavior[];
      Origins: Origin[];
    };
    behaviors = [...config.CacheBehaviors, { ...config.DefaultCacheBehavior, PathPattern: '*' }];
    origins = config.Origins;
  });

  it('sends the API and every path that is not the workspace’s to API Gateway, uncached for the API', () => {
    const apiDomain = { 'Fn::Select': [2, { 'Fn::Split': ['/', expect.anything()] }] };
    for (const pattern of [`${WEB_PATHS.api}*`, '*']) {
      const each = behavior(pattern);
      expect(originOf(each).DomainName, pattern).toEqual(apiDomain);
      expect(JSON.stringify(originOf(each).DomainName)).toContain(logicalId(stack.api.api));
      expect(originOf(each).CustomOriginConfig?.OriginProtocolPolicy).toBe('https-only');
      expect(originOf(each).S3OriginConfig, pattern).toBeUndefined();
      // Cookies, X-API-KEY and the query reach the functions; Host stays API Gateway's.
      expect(each.OriginRequestPolicyId, pattern).toEqual({ Ref: logicalId(stack.web.policies.apiRequest) });
      expect(each.AllowedMethods, pattern).toEqual(
        expect.arrayContaining(['POST', 'PUT', 'PATCH', 'DELETE']),
      );
      expect(each.ViewerProtocolPolicy, pattern).toBe('redirect-to-https');
    }
    expect(behavior(`${WEB_PATHS.api}*`).CachePolicyId).toBe(CACHING_DISABLED);
    // Nothing else than the workspace and the hosted files goes to a bucket.
    const toBucket = behaviors
      .filter((each) => originOf(each).S3OriginConfig)
      .map((each) => each.PathPattern);
    expect(toBucket.sort()).toEqual(['/admin', '/admin/*', '/admin/assets/*', `${HOSTED_FILES.pathPrefix}*`]);
  });

  it('passes the API what it reads, the viewer’s address and never Host', () => {
    const config = policy({ Ref: logicalId(stack.web.policies.apiRequest) }).OriginRequestPolicyConfig as {
      HeadersConfig: { HeaderBehavior: string; Headers: string[] };
      CookiesConfig: { CookieBehavior: string };
      QueryStringsConfig: { QueryStringBehavior: string };
    };
    expect(config.CookiesConfig.CookieBehavior).toBe('all');
    expect(config.QueryStringsConfig.QueryStringBehavior).toBe('all');
    expect(config.HeadersConfig.HeaderBehavior).toBe('whitelist');
    const headers = config.HeadersConfig.Headers.map((name) => name.toLowerCase());
    expect(headers).toHaveLength(new Set(headers).size);
    // CloudFront's default quota of headers per origin request policy.
    expect(headers.length).toBeLessThanOrEqual(10);
    expect(headers).not.toContain('host');
    // CloudFront refuses Authorization in an origin request policy; the API never reads it.
    expect(headers).not.toContain('authorization');
    for (const read of [
      VIEWER_ADDRESS_HEADER,
      'x-api-key',
      CSRF_HEADER,
      FIELD_MASK_HEADER,
      'content-type',
      'accept',
      'user-agent',
      'origin',
      'access-control-request-method',
      'access-control-request-headers',
    ]) {
      expect(headers, read).toContain(read);
    }
  });

  it('adds the origin secret to every request to the API, by a reference to its secret only', () => {
    const apiOrigins = origins.filter((origin) => origin.CustomOriginConfig);
    expect(apiOrigins).toHaveLength(1);
    const headers = apiOrigins[0]!.OriginCustomHeaders ?? [];
    expect(headers.map((header) => header.HeaderName)).toEqual([ORIGIN_SECRET_HEADER]);
    const value = JSON.stringify(headers[0]!.HeaderValue);
    // {{resolve:secretsmanager:<the secret's ARN>:SecretString:::}}, resolved by CloudFormation.
    expect(value).toMatch(/\{\{resolve:secretsmanager:/);
    expect(value).toContain(logicalId(stack.originSecret.secret));
    expect(value).toContain(':SecretString:::}}');
    // The buckets' origins carry nothing of it.
    for (const origin of origins.filter((each) => each.S3OriginConfig)) {
      expect(origin.OriginCustomHeaders ?? []).toEqual([]);
    }
  });

  it('reads the workspace from a private bucket through Origin Access Control only', () => {
    const siteOrigins = origins.filter(
      (origin) =>
        origin.S3OriginConfig && JSON.stringify(origin.DomainName).includes(logicalId(stack.web.bucket)),
    );
    expect(siteOrigins).toHaveLength(1);
    const [site] = siteOrigins;
    expect(site!.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    const oac = resources[(site!.OriginAccessControlId as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0]]!;
    expect(oac.Type).toBe('AWS::CloudFront::OriginAccessControl');
    expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const bucket = resources[logicalId(stack.web.bucket)]!.Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    const bucketPolicy = Object.values(resources).find(
      (resource) =>
        resource.Type === 'AWS::S3::BucketPolicy' &&
        JSON.stringify(resource.Properties.Bucket) === JSON.stringify({ Ref: logicalId(stack.web.bucket) }),
    )!;
    const statements = (bucketPolicy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
      .Statement;
    const allowed = statements.filter((statement) => statement.Effect === 'Allow');
    // CloudFront may read, for this distribution only; nobody else is allowed anything.
    expect(allowed).toEqual([
      expect.objectContaining({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Condition: {
          StringEquals: { 'AWS:SourceArn': expect.objectContaining({ 'Fn::Join': expect.anything() }) },
        },
      }),
    ]);
    expect(JSON.stringify(allowed[0]!.Condition)).toContain(logicalId(stack.web.distribution));
  });

  it('keeps hashed files a year and HTML only as long as its Cache-Control says, a minute at most', () => {
    const hashed = policy(behavior(`${WEB_PATHS.workspaceAssets}*`).CachePolicyId).CachePolicyConfig;
    expect(hashed).toMatchObject({ DefaultTTL: 31_536_000, MaxTTL: 31_536_000, MinTTL: 0 });
    expect(hashed).toMatchObject({
      ParametersInCacheKeyAndForwardedToOrigin: {
        CookiesConfig: { CookieBehavior: 'none' },
        HeadersConfig: { HeaderBehavior: 'none' },
        QueryStringsConfig: { QueryStringBehavior: 'none' },
      },
    });
    for (const pattern of ['/admin/*', '/admin', '*']) {
      const html = policy(behavior(pattern).CachePolicyId).CachePolicyConfig as Record<string, unknown>;
      expect(html, pattern).toMatchObject({ DefaultTTL: 0, MinTTL: 0, MaxTTL: 60 });
    }
    // Search pages differ by their query.
    expect(policy(behavior('*').CachePolicyId).CachePolicyConfig).toMatchObject({
      ParametersInCacheKeyAndForwardedToOrigin: { QueryStringsConfig: { QueryStringBehavior: 'all' } },
    });
  });

  it('deploys the built workspace under /admin/: hashed files immutable and kept, index.html revalidated', () => {
    const deployments = Object.values(resources).filter((r) => r.Type === 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
    const assets = deployments.find((d) => JSON.stringify(d.Properties.Exclude) === '["index.html"]')!;
    const index = deployments.find((d) => JSON.stringify(d.Properties.Include) === '["index.html"]')!;
    expect(assets.Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalId(stack.web.bucket) },
      DestinationBucketKeyPrefix: 'admin/',
      Prune: false,
      SystemMetadata: { 'cache-control': CACHE_CONTROL.hashedAsset },
    });
    expect(index.Properties).toMatchObject({
      DestinationBucketName: { Ref: logicalId(stack.web.bucket) },
      DestinationBucketKeyPrefix: 'admin/',
      Exclude: ['*'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/admin/*'],
    });
    expect(CACHE_CONTROL.hashedAsset).toBe('public, max-age=31536000, immutable');
    // index.html never names a hashed file not yet uploaded.
    const assetsId = Object.entries(resources).find(([, r]) => r === assets)![0];
    expect(index.DependsOn).toContain(assetsId);
  });

  describe('headers', () => {
    const bucketDomain = 'uploads.s3.eu-west-3.amazonaws.com';
    const securityOf = (pattern: string) =>
      (
        policy(behavior(pattern).ResponseHeadersPolicyId).ResponseHeadersPolicyConfig as Record<
          string,
          unknown
        >
      ).SecurityHeadersConfig as Record<string, Record<string, unknown>>;

    it('gives the workspace a strict CSP of its own: its scripts and styles only, files sent to the uploads bucket', () => {
      for (const pattern of ['/admin', '/admin/*', '/admin/assets/*']) {
        const security = securityOf(pattern);
        expect(security.ContentSecurityPolicy!.Override, pattern).toBe(true);
        const csp = joined(security.ContentSecurityPolicy!.ContentSecurityPolicy, bucketDomain);
        // The same text the local server sends (one definition).
        expect(csp, pattern).toBe(serializeCsp(workspaceCsp(`https://${bucketDomain}`)));
        const parsed = directives(csp);
        expect(parsed['default-src']).toEqual(["'self'"]);
        expect(parsed['script-src']).toEqual(["'self'"]);
        expect(parsed['style-src']).toEqual(["'self'"]);
        expect(parsed['connect-src']).toEqual(["'self'", `https://${bucketDomain}`]);
        expect(parsed['frame-ancestors']).toEqual(["'none'"]);
        expect(parsed['object-src']).toEqual(["'none'"]);
        expect(parsed['base-uri']).toEqual(["'none'"]);
        expect(csp).not.toMatch(/unsafe-|\*/);
        expect(security.StrictTransportSecurity).toMatchObject({ AccessControlMaxAgeSec: 63_072_000 });
        expect(security.ContentTypeOptions).toEqual({ Override: true });
      }
      expect(JSON.stringify(securityOf('/admin/*').ContentSecurityPolicy)).toContain(
        logicalId(stack.uploads.bucket),
      );
    });

    it('gives public pages no script and their one inline stylesheet by its hash', () => {
      const security = securityOf('*');
      const csp = joined(security.ContentSecurityPolicy!.ContentSecurityPolicy, bucketDomain);
      expect(csp).toBe(serializeCsp(PAGE_CSP));
      const parsed = directives(csp);
      expect(parsed['default-src']).toEqual(["'none'"]);
      expect(parsed['script-src']).toBeUndefined();
      expect(parsed['style-src']).toEqual([cspHash(PAGE_STYLE)]);
      expect(parsed['frame-ancestors']).toEqual(["'none'"]);
      expect(csp).not.toContain('unsafe');
      // The embed card (framed by other sites) and the API's docs page send their own.
      expect(security.ContentSecurityPolicy!.Override).toBe(false);
      expect(security.StrictTransportSecurity).toMatchObject({ Override: true });
    });

    it('gives API responses nothing to load and no framing unless a route says otherwise', () => {
      const security = securityOf(`${WEB_PATHS.api}*`);
      expect(security.ContentSecurityPolicy).toEqual({
        ContentSecurityPolicy: "default-src 'none'; frame-ancestors 'none'",
        Override: false,
      });
      expect(security.ContentTypeOptions).toEqual({ Override: true });
    });
  });

  describe('the workspace’s routing function', () => {
    type Request = { uri: string };
    type Redirect = { statusCode: number; headers: { location: { value: string } } };
    const route = new Function(`${WORKSPACE_ROUTING}; return handler;`)() as (event: {
      request: Request;
    }) => Request | Redirect;

    it('moves /admin to /admin/, serves hashed files as they are and the application’s routes with index.html', () => {
      expect(route({ request: { uri: '/admin' } })).toMatchObject({
        statusCode: 301,
        headers: { location: { value: '/admin/' } },
      });
      expect(route({ request: { uri: '/admin/assets/index-3f2a1b.js' } })).toEqual({
        uri: '/admin/assets/index-3f2a1b.js',
      });
      for (const uri of ['/admin/', '/admin/datasets/new', '/admin/reset/abcdefghijkl']) {
        expect(route({ request: { uri } }), uri).toEqual({ uri: '/admin/index.html' });
      }
    });
  });

  describe('hosted files, straight from the uploads bucket', () => {
    const files = () => behavior(`${HOSTED_FILES.pathPrefix}*`);
    const nested = () => Template.fromStack(stack.hostedFiles).toJSON().Resources as Record<string, Resource>;
    /** A value of the nested stack as the main stack reads it (an output of the nested stack resource). */
    const fromNested = (value: unknown, construct: IConstruct) => {
      const text = JSON.stringify(value);
      expect(text).toContain(stack.getLogicalId(stack.hostedFiles.nestedStackResource as CfnElement));
      // Outputs of a nested stack are named after the construct's path.
      expect(text).toContain(`Outputs.PortailHostedFiles${construct.node.id}`);
    };

    it('reads /files/* from the uploads bucket through Origin Access Control, GET and HEAD only, as stored', () => {
      const each = files();
      const origin = originOf(each);
      expect(JSON.stringify(origin.DomainName)).toContain(logicalId(stack.uploads.bucket));
      expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
      expect(origin.OriginAccessControlId).toBeDefined();
      expect(origin.OriginCustomHeaders ?? []).toEqual([]);
      expect(each.AllowedMethods.sort()).toEqual(['GET', 'HEAD']);
      expect(each.ViewerProtocolPolicy).toBe('redirect-to-https');
      // No compression: the bytes, length and ranges are the file's own.
      expect((each as Behavior & { Compress?: boolean }).Compress).toBe(false);
      expect(each.OriginRequestPolicyId).toBeUndefined();
    });

    it('lets CloudFront read the accepted files only, for this distribution only', () => {
      const uploadsPolicy = Object.values(resources).find(
        (resource) =>
          resource.Type === 'AWS::S3::BucketPolicy' &&
          JSON.stringify(resource.Properties.Bucket) ===
            JSON.stringify({ Ref: logicalId(stack.uploads.bucket) }),
      )!;
      const statements = (uploadsPolicy.Properties.PolicyDocument as { Statement: Record<string, unknown>[] })
        .Statement;
      const toCloudFront = statements.filter(
        (statement) =>
          statement.Effect === 'Allow' &&
          JSON.stringify(statement.Principal).includes('cloudfront.amazonaws.com'),
      );
      expect(toCloudFront).toEqual([
        expect.objectContaining({
          Action: 's3:GetObject',
          Resource: {
            'Fn::Join': [
              '',
              [
                { 'Fn::GetAtt': [logicalId(stack.uploads.bucket), 'Arn'] },
                `/${UPLOADS_BUCKET.acceptedPrefix}*`,
              ],
            ],
          },
        }),
      ]);
      expect(JSON.stringify(toCloudFront[0]!.Condition)).toContain(logicalId(stack.web.distribution));
      // Pending uploads, chunks and images are never CloudFront's to read.
      for (const prefix of [
        UPLOADS_BUCKET.uploadsPrefix,
        UPLOADS_BUCKET.chunksPrefix,
        UPLOADS_BUCKET.imagesPrefix,
      ]) {
        expect(JSON.stringify(toCloudFront)).not.toContain(`/${prefix}`);
      }
    });

    it('asks the hidden-files store before the cache, and names the download after', () => {
      const associations = files().FunctionAssociations ?? [];
      expect(associations.map((each) => each.EventType).sort()).toEqual([
        'viewer-request',
        'viewer-response',
      ]);
      const request = associations.find((each) => each.EventType === 'viewer-request')!;
      fromNested(request.FunctionARN, stack.hostedFiles.gate);
      const response = associations.find((each) => each.EventType === 'viewer-response')!;
      fromNested(response.FunctionARN, stack.hostedFiles.headers);
      const gate = nested()[logicalId(stack.hostedFiles.gate)]!.Properties as {
        FunctionConfig: { Runtime: string; KeyValueStoreAssociations: { KeyValueStoreARN: unknown }[] };
        FunctionCode: unknown;
      };
      expect(gate.FunctionConfig.Runtime).toBe('cloudfront-js-2.0');
      expect(gate.FunctionConfig.KeyValueStoreAssociations).toEqual([
        { KeyValueStoreARN: { 'Fn::GetAtt': [logicalId(stack.hostedFiles.store), 'Arn'] } },
      ]);
      // The handle of that very store, by its id.
      expect(JSON.stringify(gate.FunctionCode)).toContain(logicalId(stack.hostedFiles.store));
      expect(nested()[logicalId(stack.hostedFiles.store)]!.Type).toBe('AWS::CloudFront::KeyValueStore');
    });

    it('logs every request to the log bucket, whose files the download counter reads as they land', () => {
      const config = resources[logicalId(stack.web.distribution)]!.Properties.DistributionConfig as {
        Logging: { Bucket: unknown; Prefix: string; IncludeCookies: boolean };
      };
      expect(config.Logging.Prefix).toBe(HOSTED_FILES.logPrefix);
      expect(config.Logging.IncludeCookies).toBe(false);
      fromNested(config.Logging.Bucket, stack.hostedFiles.logs);
      const logs = nested()[logicalId(stack.hostedFiles.logs)]!.Properties;
      expect(logs.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'ObjectWriter' }] });
      expect(logs.PublicAccessBlockConfiguration).toMatchObject({
        BlockPublicPolicy: true,
        RestrictPublicBuckets: true,
      });
      const counter = stack.hostedFiles.counters['file-downloads'].function;
      const notifications = Object.values(nested()).find(
        (each) => each.Type === 'Custom::S3BucketNotifications',
      )!;
      expect(notifications.Properties.NotificationConfiguration).toEqual({
        LambdaFunctionConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: HOSTED_FILES.logPrefix }] } },
            LambdaFunctionArn: { 'Fn::GetAtt': [logicalId(counter.lambda), 'Arn'] },
          },
        ],
      });
      // It reads log files only, and counts downloads where the API's counting does.
      const policies = Object.values(nested()).filter(
        (each) =>
          each.Type === 'AWS::IAM::Policy' &&
          JSON.stringify(each.Properties.Roles).includes(logicalId(counter.lambda.role!)),
      );
      const actions = policies.flatMap((each) =>
        (each.Properties.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement.flatMap(
          (statement) => statement.Action,
        ),
      );
      expect(
        actions.filter((action) => !action.startsWith('xray:') && !action.startsWith('logs:')).sort(),
      ).toEqual([
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        's3:GetObject',
        // A log file it could not count goes to its dead-letter queue.
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ]);
    });

    it('lets the hidden-files consumer edit that store and nothing else of CloudFront', () => {
      const consumer = stack.consumers.consumers['hidden-files'].function.lambda;
      // Beside the store, in the hosted files' stack.
      const storeArn = { 'Fn::GetAtt': [logicalId(stack.hostedFiles.store), 'Arn'] };
      const fn = nested()[logicalId(consumer)]!.Properties as {
        Environment: { Variables: Record<string, unknown> };
      };
      expect(fn.Environment.Variables.HIDDEN_FILES_STORE_ARN).toEqual(storeArn);
      const statements = Object.values(nested())
        .filter(
          (each) =>
            each.Type === 'AWS::IAM::Policy' &&
            JSON.stringify(each.Properties.Roles).includes(logicalId(consumer.role!)),
        )
        .flatMap(
          (each) =>
            (
              each.Properties.PolicyDocument as {
                Statement: { Action: string | string[]; Resource: unknown }[];
              }
            ).Statement,
        );
      expect(
        statements.filter((statement) => JSON.stringify(statement.Action).includes('cloudfront')),
      ).toEqual([
        expect.objectContaining({
          Action: [
            'cloudfront-keyvaluestore:DescribeKeyValueStore',
            'cloudfront-keyvaluestore:GetKey',
            'cloudfront-keyvaluestore:UpdateKeys',
          ],
          Resource: storeArn,
        }),
      ]);
      // Of the table, it reads datasets' partitions and writes nothing.
      const dynamodb = statements
        .flatMap((statement) => statement.Action)
        .filter((action) => action.startsWith('dynamodb:'));
      expect(dynamodb).toEqual(['dynamodb:Query']);
    });
  });

  it('outputs the site’s URL', () => {
    const outputs = Template.fromStack(stack).toJSON().Outputs;
    expect(JSON.stringify(outputs.SiteUrl.Value)).toContain(logicalId(stack.web.distribution));
  });
});
