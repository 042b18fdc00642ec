import { routeList } from '@portail/functions/routes';
import { gatewayPath } from '@portail/http';
import { PAGE_ROUTE_PATHS } from '@portail/web/page-routes';
import { Validations } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, HttpRoute, HttpRouteKey } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { RouteStack } from './portail-api';
import { PortailFunction } from './portail-function';

export interface PublicPagesProps {
  /** The HTTP API the pages share their origin with. */
  api: HttpApi;
  /** Where the pages read the API: its public URL, as any client. */
  publicApiUrl: string;
  /** The site's public URL (canonical URLs, sitemaps), when not the API's. */
  publicSiteUrl?: string;
}

/**
 * The server-rendered public pages (packages/web): one function, one `GET` route per page path on the
 * API's own HTTP API, so pages and API share one origin. The function reads nothing but the public API
 * over HTTPS: no table, bucket or secret is granted to it.
 */
export class PublicPages extends Construct {
  readonly function: PortailFunction;
  /** The page routes, their integration and permission (a nested stack, as the API's route groups). */
  readonly routes: RouteStack;

  constructor(scope: Construct, id: string, props: PublicPagesProps) {
    super(scope, id);
    const environment: Record<string, string> = { PUBLIC_API_URL: props.publicApiUrl };
    if (props.publicSiteUrl) environment.PUBLIC_SITE_URL = props.publicSiteUrl;
    this.function = new PortailFunction(this, 'pages-function', {
      entry: 'functions/pages/entry.ts',
      description: 'Portail: public pages (server-rendered from the public API)',
      environment,
      memorySize: 512,
    });
    const integration = new HttpLambdaIntegration('pages-integration', this.function.lambda, {
      scopePermissionToRoute: false,
    });
    this.routes = new RouteStack(this, 'Routes', 'Portail: public page routes');
    const apiPaths = new Set(
      routeList.filter((route) => route.method === 'GET').map((r) => gatewayPath(r.path)),
    );
    for (const path of PAGE_ROUTE_PATHS) {
      if (apiPaths.has(path)) throw new Error(`The page path ${path} is also a route of the API.`);
      const route = new HttpRoute(this.routes, `Route-${path.replace(/[^\w]+/g, '-')}`, {
        httpApi: props.api,
        routeKey: HttpRouteKey.with(path, HttpMethod.GET),
        integration,
      });
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Public pages: they show only what the anonymous API returns.',
      });
    }
  }
}
