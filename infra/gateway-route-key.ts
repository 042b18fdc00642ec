import type { RouteDefinition } from '@portail/http';

/**
 * The API Gateway route key of a route of the table. HTTP APIs refuse route paths that end with "/"
 * (CreateRoute fails, and CDK checks it too) and route a request for `/a/b/` to the route `/a/b`, so the
 * udata paths, which all end with a slash, are declared without it; clients keep sending the slash.
 * The function therefore receives `routeKey` = `GET /a/b` for the table's `GET /a/b/`.
 */
export function gatewayPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

export function gatewayRouteKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${gatewayPath(route.path)}`;
}
