import type { HttpRequest } from './http-request';

/**
 * The path of the API's root as the client reached it (stage and base path included), from
 * the request's own path: links built on it work on the execute-api URL and on a custom domain.
 * `route` is where the operation's path begins (e.g. '/export/').
 */
export function apiRoot(request: HttpRequest, route: string): string {
  const at = request.clientPath.lastIndexOf(route);
  return at < 0 ? '' : request.clientPath.slice(0, at);
}
