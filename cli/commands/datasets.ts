import { ok, type ApiClient } from '../client';
import type { components } from '../generated/openapi';
import type { Output } from '../output';

type Dataset = components['schemas']['Dataset'];

/** The XDM schema the service knows (the profile store's union schema). */
const PROFILE_SCHEMA_ID = 'https://ns.adobe.com/xdm/context/profile__union';

/** POST /dataSets: prints the new dataset's id (with --json, the id and the API's answer). */
export async function createDataset(
  api: ApiClient,
  options: { name: string; format?: 'parquet' | 'json'; schemaId?: string; description?: string },
  out: Output,
): Promise<number> {
  const created = await ok(
    api.client.POST('/dataSets', {
      params: { header: api.tenant },
      body: {
        name: options.name,
        schemaRef: { id: options.schemaId ?? PROFILE_SCHEMA_ID },
        ...(options.format && { fileDescription: { format: options.format } }),
        ...(options.description && { description: options.description }),
      },
    }),
  );
  const id = created[0].replace(/^@\/dataSets\//, '');
  out.result({ id, created }, () => id);
  return 0;
}

export async function getDataset(api: ApiClient, id: string, out: Output): Promise<number> {
  const byId = await ok(api.client.GET('/dataSets/{id}', { params: { path: { id }, header: api.tenant } }));
  out.result(byId, () => datasetLines(byId as Record<string, Dataset>).join('\n'));
  return 0;
}

/** GET /dataSets newest first; with `all`, follows `_page.next` to the end. */
export async function listDatasets(
  api: ApiClient,
  options: { limit?: number; all?: boolean },
  out: Output,
): Promise<number> {
  const datasets: Record<string, Dataset> = {};
  let start: string | undefined;
  do {
    const page = await ok(
      api.client.GET('/dataSets', {
        params: {
          header: api.tenant,
          query: { ...(options.limit !== undefined && { limit: options.limit }), ...(start && { start }) },
        },
      }),
    );
    const { _page, ...byId } = page;
    Object.assign(datasets, byId);
    start =
      options.all && _page.next
        ? (new URL(_page.next, 'http://next').searchParams.get('start') ?? undefined)
        : undefined;
  } while (start);
  out.result(datasets, () => (Object.keys(datasets).length === 0 ? 'No datasets.' : datasetLines(datasets).join('\n')));
  return 0;
}

function datasetLines(byId: Record<string, Dataset>): string[] {
  return Object.entries(byId).map(
    ([id, dataset]) =>
      `${id}  ${dataset.fileDescription.format.padEnd(7)}  ${new Date(dataset.created).toISOString()}  ${dataset.name}`,
  );
}
