import { httpProblem, type Problem } from './problem';
import type { RouteDefinition } from './route';
import { gatewayPath } from './route';

/** A path parameter that is a dot segment, however escaped: refused, never resolved into another route. */
const isDotSegment = (value: string) => value === '.' || value === '..';

/** A path no route may be given: a malformed % escape, or a dot segment as a parameter. */
export class BadPathError extends Error {}

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  names: string[];
  staticSegments: number;
}

function compile(route: RouteDefinition): CompiledRoute {
  const names: string[] = [];
  let staticSegments = 0;
  // API Gateway knows the route without its trailing slash and matches the path with or without one.
  const source = gatewayPath(route.path)
    .split('/')
    .map((segment) => {
      const param = segment.match(/^\{(\w+)(\+)?\}$/);
      if (!param) {
        if (segment) staticSegments++;
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      }
      names.push(param[1]!);
      return param[2] ? '(.+)' : '([^/]+)';
    })
    .join('/');
  return { route, pattern: new RegExp(`^${source}/?$`), names, staticSegments };
}

/**
 * Route selection as API Gateway does it: the most specific match (most literal segments) wins. The
 * path is matched as sent, never normalized: `..` or `%2e%2e` is a parameter value (refused with a 400)
 * or a segment no route has (404), never a step back to another route.
 */
export function createRouter(routes: readonly RouteDefinition[]) {
  const compiled = routes.map(compile).sort((a, b) => b.staticSegments - a.staticSegments);
  const match = (method: string, path: string) => {
    for (const candidate of compiled) {
      if (candidate.route.method !== method) continue;
      const found = candidate.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      candidate.names.forEach((name, index) => {
        let value: string;
        try {
          value = decodeURIComponent(found[index + 1]!);
        } catch {
          throw new BadPathError(`The path parameter "${name}" has a malformed % escape.`);
        }
        if (isDotSegment(value))
          throw new BadPathError(`The path parameter "${name}" may not be "${value}".`);
        params[name] = value;
      });
      return { route: candidate.route, params };
    }
    return null;
  };
  /** The methods some route serves at this path (for a 405's `Allow`); empty when no route has the path. */
  const methodsAt = (path: string): string[] => {
    const methods = new Set<string>();
    for (const candidate of compiled) if (candidate.pattern.test(path)) methods.add(candidate.route.method);
    if (methods.size === 0) return [];
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return [...methods].sort();
  };
  return Object.assign(match, { methodsAt });
}

export type Router = ReturnType<typeof createRouter>;

/**
 * The answer to a request no route takes: 405 with `Allow` when routes serve the path with other
 * methods, else 404; both problem documents. The local server and the API's `$default` route use it.
 */
export function unmatchedRouteProblem(
  router: Router,
  method: string,
  path: string,
  requestId: string,
): { problem: Problem; headers: Record<string, string> } {
  const allowed = router.methodsAt(path);
  if (allowed.length > 0) {
    return {
      problem: httpProblem(
        405,
        'Method not allowed',
        `${method.slice(0, 20)} is not allowed here; allowed: ${allowed.join(', ')}.`,
        requestId,
        path,
      ),
      headers: { allow: allowed.join(', ') },
    };
  }
  return {
    problem: httpProblem(
      404,
      'Not found',
      `No route for ${method.slice(0, 20)} ${path.slice(0, 200)}.`,
      requestId,
      path,
    ),
    headers: {},
  };
}
