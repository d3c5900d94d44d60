import type { Tenant } from '../contract/tenant';
import type { ConfigPage, ConfigPageQuery } from '../domain/config/ports';
import type { SchemaValidator } from '../domain/schema-validator';
import { configIdFrom, configPageQueryFrom, jsonBodyFrom, nextPageLink } from './config-requests';
import { requireJsonContentType } from './content-type';
import { httpHandler } from './http-handler';
import { json, noContent } from './http-response';
import { authorizedTenant } from './tenant-headers';
import { validateAll } from './validate-all';

/** What one config resource (merge policies, segment definitions) does for each route. */
export interface ConfigResourceRoutes<Create, Update, Resource> {
  /** Logged as the operation. */
  readonly name: string;
  readonly createBody: SchemaValidator<Create>;
  readonly updateBody: SchemaValidator<Update>;
  list(tenant: Tenant, query: ConfigPageQuery): Promise<ConfigPage<Resource>>;
  /** The list response, shaped as the reference platform shapes this resource's list. */
  listResponse(page: ConfigPage<Resource>, nextLink: string): unknown;
  create(tenant: Tenant, body: Create): Promise<Resource>;
  get(tenant: Tenant, id: string): Promise<Resource>;
  update(tenant: Tenant, id: string, body: Update): Promise<Resource>;
  remove(tenant: Tenant, id: string): Promise<void>;
}

/**
 * One Lambda handler for the five routes of a config resource: `GET` and `POST` on the
 * collection, `GET`, `PATCH` and `DELETE` on `{id}`. API Gateway routes only those methods
 * here, so the method and the presence of `{id}` say which one was called.
 */
export function configResourceHandler<Create, Update, Resource>(
  routes: ConfigResourceRoutes<Create, Update, Resource>,
) {
  return httpHandler(routes.name, async (request) => {
    const onItem = request.pathParameters.id !== undefined;
    if (!onItem && request.method === 'POST') {
      requireJsonContentType(request);
      const [tenant, body] = validateAll(
        () => authorizedTenant(request),
        () => jsonBodyFrom(request, routes.createBody),
      );
      return json(200, await routes.create(tenant, body));
    }
    if (!onItem) {
      const [tenant, query] = validateAll(
        () => authorizedTenant(request),
        () => configPageQueryFrom(request),
      );
      const page = await routes.list(tenant, query);
      return json(200, routes.listResponse(page, nextPageLink(request, query, page.next)));
    }
    if (request.method === 'PATCH') {
      requireJsonContentType(request);
      const [tenant, id, body] = validateAll(
        () => authorizedTenant(request),
        () => configIdFrom(request),
        () => jsonBodyFrom(request, routes.updateBody),
      );
      return json(200, await routes.update(tenant, id, body));
    }
    const [tenant, id] = validateAll(
      () => authorizedTenant(request),
      () => configIdFrom(request),
    );
    if (request.method === 'DELETE') {
      await routes.remove(tenant, id);
      return noContent();
    }
    return json(200, await routes.get(tenant, id));
  });
}
