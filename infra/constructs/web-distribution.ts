import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HOSTED_FILES } from '@portail/core';
import { ORIGIN_SECRET_HEADER } from '@portail/http/viewer-address';
import {
  API_CSP,
  API_REQUEST_HEADERS,
  CACHE_CONTROL,
  type CspDirectives,
  HASHED_ASSET_MAX_AGE_SECONDS,
  HTML_MAX_AGE_SECONDS,
  PAGE_CSP,
  REFERRER_POLICY,
  STRICT_TRANSPORT_SECURITY_SECONDS,
  serializeCsp,
  WEB_PATHS,
  workspaceCsp,
} from '@portail/web/delivery';
import {
  AssetHashType,
  type CfnElement,
  DockerImage,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  Validations,
} from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  AllowedMethods,
  type BehaviorOptions,
  CacheCookieBehavior,
  CachedMethods,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  Function as EdgeFunction,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestCookieBehavior,
  OriginRequestHeaderBehavior,
  OriginRequestPolicy,
  OriginRequestQueryStringBehavior,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type IBucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, type ISource, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { repoRoot } from '../bundling/function-bundling';
import { acceptedFilesOrigin, type HostedFiles } from './hosted-files';

export interface WebDistributionProps {
  /** The HTTP API: `/api/*`, the public pages and every other path that is not the workspace's. */
  api: HttpApi;
  /** The uploads bucket, which the workspace sends files to (its origin is in `connect-src`). */
  uploads: IBucket;
  /** Where the site bucket's access logs go. */
  accessLogs: IBucket;
  /**
   * The value sent in the origin secret header on every request to the API, by which functions know the
   * request came through the distribution and believe its `CloudFront-Viewer-Address`.
   */
  originSecret: ISecret;
  /** The workspace's built files; default: `vite build` of packages/workspace when the stack is synthesized. */
  workspace?: ISource;
  /**
   * Hosted files served straight from the uploads bucket under `/files/` (their functions, key value
   * store and log bucket); without it, no files behaviour and no standard logs.
   */
  hostedFiles?: HostedFiles;
}

const WORKSPACE_ROOT = path.join(repoRoot, 'packages/workspace');

/**
 * The workspace's build as a CDK asset: `vite build` runs when the stack is synthesized, with the local
 * Vite, as functions are bundled with the local esbuild (never in Docker), so what is deployed is built
 * from the sources of the synthesized commit; `packages/workspace/dist` (the local server's build) is
 * never read. Synthesized without bundling (the unbundled infra tests), nothing is built.
 */
export function workspaceBuild(): ISource {
  return Source.asset(WORKSPACE_ROOT, {
    assetHashType: AssetHashType.OUTPUT,
    exclude: ['node_modules', 'dist', 'dist-*'],
    bundling: {
      // Required by the type; the local build below always runs or fails, so Docker is never used.
      image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
      local: {
        tryBundle(outputDir) {
          const vite = path.join(
            path.dirname(
              createRequire(path.join(WORKSPACE_ROOT, 'package.json')).resolve('vite/package.json'),
            ),
            'bin/vite.js',
          );
          const built = spawnSync(
            process.execPath,
            [vite, 'build', '--outDir', outputDir, '--emptyOutDir', '--logLevel', 'warn'],
            { cwd: WORKSPACE_ROOT, encoding: 'utf8' },
          );
          if (built.status !== 0) {
            throw new Error(`vite build of the workspace failed: ${built.stderr || built.error?.message}`);
          }
          return true;
        },
      },
    },
  });
}

/**
 * CloudFront's viewer-request function of the workspace's paths: `/admin` moves to `/admin/`, hashed
 * files are fetched as they are, and every other path is the application's own route, answered with
 * its index.html (as the local server does). Written for CloudFront's JavaScript runtime 2.0.
 */
export const WORKSPACE_ROUTING = `function handler(event) {
  var request = event.request;
  if (request.uri === '${WEB_PATHS.workspace}') {
    return { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '${WEB_PATHS.workspace}/' } } };
  }
  if (request.uri.indexOf('${WEB_PATHS.workspaceAssets}') !== 0) request.uri = '${WEB_PATHS.workspace}/index.html';
  return request;
}`;

const referrerPolicies: Record<string, HeadersReferrerPolicy> = {
  'same-origin': HeadersReferrerPolicy.SAME_ORIGIN,
  'strict-origin-when-cross-origin': HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
};

/**
 * The web application on one origin: the workspace's built files from a private bucket (Origin Access
 * Control), the API and the server-rendered pages from the HTTP API. No CORS is needed between them and
 * the session cookie (`Secure; SameSite=Lax; HttpOnly`) is the site's own. Headers come from
 * `@portail/web/delivery`, which the local server sends too.
 */
export class WebDistribution extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  readonly policies: {
    hashedAssets: CachePolicy;
    html: CachePolicy;
    workspaceHeaders: ResponseHeadersPolicy;
    pageHeaders: ResponseHeadersPolicy;
    apiHeaders: ResponseHeadersPolicy;
    apiRequest: OriginRequestPolicy;
  };
  readonly routing: EdgeFunction;
  /** `https://<distribution domain>` */
  readonly url: string;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);

    this.bucket = new Bucket(this, 'Site', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Only built files, deployed again from the sources at every deployment.
      removalPolicy: RemovalPolicy.RETAIN,
      serverAccessLogsBucket: props.accessLogs,
      serverAccessLogsPrefix: 'site/',
    });

    const headersPolicy = (
      name: string,
      csp: CspDirectives,
      referrer: string,
      /** Whether the policy's CSP replaces the origin's (false: it is sent only when the origin sends none). */
      override: boolean,
    ) =>
      new ResponseHeadersPolicy(this, `${name}Headers`, {
        comment: `Portail: headers of ${name.toLowerCase()} responses (@portail/web/delivery)`,
        securityHeadersBehavior: {
          contentSecurityPolicy: { contentSecurityPolicy: serializeCsp(csp), override },
          contentTypeOptions: { override: true },
          referrerPolicy: { referrerPolicy: referrerPolicies[referrer]!, override },
          strictTransportSecurity: {
            accessControlMaxAge: Duration.seconds(STRICT_TRANSPORT_SECURITY_SECONDS),
            includeSubdomains: true,
            override: true,
          },
        },
      });
    const storageOrigin = `https://${props.uploads.bucketRegionalDomainName}`;
    this.policies = {
      hashedAssets: new CachePolicy(this, 'HashedAssets', {
        comment: 'Portail: hashed build files, kept a year (their name changes with their content)',
        minTtl: Duration.seconds(0),
        defaultTtl: Duration.seconds(HASHED_ASSET_MAX_AGE_SECONDS),
        maxTtl: Duration.seconds(HASHED_ASSET_MAX_AGE_SECONDS),
        queryStringBehavior: CacheQueryStringBehavior.none(),
        headerBehavior: CacheHeaderBehavior.none(),
        cookieBehavior: CacheCookieBehavior.none(),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      }),
      // HTML is kept only as long as its own Cache-Control says, a minute at most: the workspace's
      // index.html (`no-cache`) not at all, public pages a minute, anything that says nothing not at all.
      html: new CachePolicy(this, 'Html', {
        comment: 'Portail: HTML, kept only as its Cache-Control says and a minute at most',
        minTtl: Duration.seconds(0),
        defaultTtl: Duration.seconds(0),
        maxTtl: Duration.seconds(HTML_MAX_AGE_SECONDS),
        queryStringBehavior: CacheQueryStringBehavior.all(),
        headerBehavior: CacheHeaderBehavior.none(),
        cookieBehavior: CacheCookieBehavior.none(),
        enableAcceptEncodingGzip: true,
        enableAcceptEncodingBrotli: true,
      }),
      // The workspace is static: its headers are CloudFront's alone.
      workspaceHeaders: headersPolicy(
        'Workspace',
        workspaceCsp(storageOrigin),
        REFERRER_POLICY.workspace,
        true,
      ),
      // Pages, the embed card and the docs page set their own CSP; these apply where a response has none.
      pageHeaders: headersPolicy('Page', PAGE_CSP, REFERRER_POLICY.pages, false),
      apiHeaders: headersPolicy('Api', API_CSP, REFERRER_POLICY.pages, false),
      // Not the managed AllViewerExceptHostHeader: it cannot add CloudFront's own headers, and the one
      // that can (AllViewerAndCloudFrontHeaders) sends the viewer's Host, which API Gateway refuses.
      apiRequest: new OriginRequestPolicy(this, 'ApiRequest', {
        comment: 'Portail: what the API reads of a request, and the viewer address (@portail/web/delivery)',
        headerBehavior: OriginRequestHeaderBehavior.allowList(...API_REQUEST_HEADERS),
        cookieBehavior: OriginRequestCookieBehavior.all(),
        queryStringBehavior: OriginRequestQueryStringBehavior.all(),
      }),
    };
    this.routing = new EdgeFunction(this, 'WorkspaceRouting', {
      comment: 'Portail: /admin to /admin/, application routes to index.html',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(WORKSPACE_ROUTING),
    });

    // The $default stage: paths reach API Gateway as the viewer sent them.
    const apiOrigin = new HttpOrigin(Fn.select(2, Fn.split('/', props.api.apiEndpoint)), {
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      // A dynamic reference: CloudFormation reads the secret at deploy time; the template holds only its ARN.
      customHeaders: {
        [ORIGIN_SECRET_HEADER]: props.originSecret.secretValue.unsafeUnwrap(),
      },
    });
    const siteOrigin = S3BucketOrigin.withOriginAccessControl(this.bucket);
    const toApi = (
      cachePolicy: CachePolicy | typeof CachePolicy.CACHING_DISABLED,
      headers: ResponseHeadersPolicy,
    ) =>
      ({
        origin: apiOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_ALL,
        cachePolicy,
        // Cookies, query and the headers the API reads (never Host, which must be API Gateway's), with
        // the viewer's address; the origin adds the secret that makes it believed.
        originRequestPolicy: this.policies.apiRequest,
        responseHeadersPolicy: headers,
        compress: true,
      }) satisfies BehaviorOptions;
    const workspace = (cachePolicy: CachePolicy, routed: boolean) =>
      ({
        origin: siteOrigin,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: this.policies.workspaceHeaders,
        compress: true,
        ...(routed
          ? {
              functionAssociations: [{ function: this.routing, eventType: FunctionEventType.VIEWER_REQUEST }],
            }
          : {}),
      }) satisfies BehaviorOptions;

    const files = props.hostedFiles;
    // udata's static URLs: the accepted files themselves, any size, no function and no redirect; the
    // viewer-request function answers 404 for hidden datasets and resources before the cache is read.
    const filesBehavior = files
      ? ({
          origin: acceptedFilesOrigin(props.uploads),
          viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
          allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
          cachedMethods: CachedMethods.CACHE_GET_HEAD,
          // A file's URL names one accepted copy, never rewritten: kept as long as CloudFront likes.
          cachePolicy: CachePolicy.CACHING_OPTIMIZED,
          // The bytes as stored (their checksum, length and ranges are the file's).
          compress: false,
          responseHeadersPolicy: this.policies.apiHeaders,
          functionAssociations: [
            { function: files.gate, eventType: FunctionEventType.VIEWER_REQUEST },
            { function: files.headers, eventType: FunctionEventType.VIEWER_RESPONSE },
          ],
        } satisfies BehaviorOptions)
      : undefined;

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Portail: workspace, public pages and API on one origin',
      httpVersion: HttpVersion.HTTP2_AND_3,
      priceClass: PriceClass.PRICE_CLASS_100,
      // Standard logs: every request, and the files' downloads counted from them.
      ...(files
        ? {
            enableLogging: true,
            logBucket: files.logs,
            logFilePrefix: HOSTED_FILES.logPrefix,
            logIncludesCookies: false,
          }
        : {}),
      // Public pages, udata's account routes, the embed card and the API's 404s.
      defaultBehavior: toApi(this.policies.html, this.policies.pageHeaders),
      additionalBehaviors: {
        [`${WEB_PATHS.api}*`]: toApi(CachePolicy.CACHING_DISABLED, this.policies.apiHeaders),
        [`${WEB_PATHS.workspaceAssets}*`]: workspace(this.policies.hashedAssets, false),
        [`${WEB_PATHS.workspace}/*`]: workspace(this.policies.html, true),
        [WEB_PATHS.workspace]: workspace(this.policies.html, true),
        ...(filesBehavior ? { [`${HOSTED_FILES.pathPrefix}*`]: filesBehavior } : {}),
      },
    });
    this.url = `https://${this.distribution.distributionDomainName}`;

    // Hashed files first, kept from one deployment to the next (a page opened before it still loads
    // its lazy chunks); index.html after them, so it never names a file not yet there.
    const source = props.workspace ?? workspaceBuild();
    const destinationKeyPrefix = `${WEB_PATHS.workspace.slice(1)}/`;
    // The log group of CDK's copying function (one for both deployments), kept a month as every other.
    const logGroup = new LogGroup(this, 'DeployLogs', { retention: RetentionDays.ONE_MONTH });
    const assets = new BucketDeployment(this, 'DeployAssets', {
      sources: [source],
      destinationBucket: this.bucket,
      destinationKeyPrefix,
      logGroup,
      exclude: ['index.html'],
      prune: false,
      cacheControl: [CacheControl.fromString(CACHE_CONTROL.hashedAsset)],
    });
    const index = new BucketDeployment(this, 'DeployIndex', {
      sources: [source],
      destinationBucket: this.bucket,
      destinationKeyPrefix,
      logGroup,
      exclude: ['*'],
      include: ['index.html'],
      prune: false,
      cacheControl: [CacheControl.fromString(CACHE_CONTROL.workspaceHtml)],
      distribution: this.distribution,
      distributionPaths: [`${WEB_PATHS.workspace}/*`],
    });
    index.node.addDependency(assets);

    Validations.of(this.distribution).acknowledge(
      {
        id: 'AwsSolutions-CFR1',
        reason: 'Open data is for everyone: no country is kept out.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'No WAF web ACL yet (it must be made in us-east-1): see "Throttling logins" in docs/architecture.md.',
      },
      ...(files
        ? []
        : [
            {
              id: 'AwsSolutions-CFR3',
              reason:
                'Requests are logged by API Gateway’s access logs and the site bucket’s S3 access logs behind it.',
            },
          ]),
      {
        id: 'AwsSolutions-CFR4',
        reason: 'The default *.cloudfront.net certificate until a custom domain is set (then TLSv1.2_2021).',
      },
    );
    // The stack-wide function CDK adds to copy build files into the bucket at deploy time.
    const deployer = Stack.of(this).node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (deployer) {
      const assetsBucket = 'arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*';
      const site = `<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement)}.Arn>/*`;
      Validations.of(deployer).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'CDK’s deployment function writes its own logs with the basic role.',
        },
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason:
            'CDK’s deployment function reads the built files’ asset and copies them into the site bucket only.',
        })),
        {
          id: `AwsSolutions-IAM5[Resource::${assetsBucket}]`,
          reason: 'The CDK bootstrap bucket holding the built files’ asset, read at deploy time.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::${site}]`,
          reason: 'Every built file of the site bucket is its to write.',
        },
        {
          id: 'AwsSolutions-IAM5[Resource::*]',
          reason: 'CDK grants its deployment function cloudfront:CreateInvalidation (of index.html) on *.',
        },
        {
          id: 'AwsSolutions-L1',
          reason: 'CDK chooses the deployment function’s Python runtime with aws-cdk-lib upgrades.',
        },
      );
    }
  }
}
