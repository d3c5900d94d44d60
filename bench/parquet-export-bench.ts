import { FILE_FORMATS, type FileFormat } from '../lambda/contract/file-format';
import type { Tenant } from '../lambda/contract/tenant';
import { XDM_PROFILE_UNION } from '../lambda/contract/xdm-schemas';
import { standardPlanApiKey } from '../bin/support/local-client';
import type { RunningLocalService } from '../bin/support/local-service';

/**
 * The Parquet part of `npm run bench`: a dataset of each format per tenant, and the comparison
 * of the same export written as Parquet and as gzip JSON Lines, measured side by side in the
 * same run (same data, same stack, one after the other).
 */

/** What a client of the tenant sends with each request. */
export async function tenantHeaders(stack: RunningLocalService, tenant: Tenant): Promise<Record<string, string>> {
  const token = await stack.devIssuer.mint({ orgs: [tenant.orgId], sandboxes: [tenant.sandboxName] });
  return {
    authorization: `Bearer ${token}`,
    'x-api-key': standardPlanApiKey(stack.apiKeys),
    'x-gw-ims-org-id': tenant.orgId,
    'x-sandbox-name': tenant.sandboxName,
    'content-type': 'application/json',
  };
}

/** Creates a dataset of the XDM profile schema in each file format for the tenant: their ids. */
export async function createBenchDatasets(
  stack: RunningLocalService,
  tenant: Tenant,
): Promise<Record<FileFormat, string>> {
  const headers = await tenantHeaders(stack, tenant);
  const ids: Partial<Record<FileFormat, string>> = {};
  for (const format of FILE_FORMATS) {
    const response = await fetch(`${stack.url}/dataSets`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: `bench ${format}`,
        schemaRef: { id: XDM_PROFILE_UNION.id },
        fileDescription: { format },
      }),
    });
    if (response.status !== 201)
      throw new Error(`POST /dataSets answered ${response.status}: ${await response.text()}`);
    ids[format] = ((await response.json()) as string[])[0].slice('@/dataSets/'.length);
  }
  return ids as Record<FileFormat, string>;
}

export interface FormatComparison {
  readonly profiles: number;
  readonly jsonExportMs: number;
  readonly parquetExportMs: number;
  readonly parquetWorkerPeakBytes: number;
}

/**
 * The Parquet lines: each size's two export times, the goals with their verdicts, and last the
 * comparison line in its exact form `parquet export / json lines export at <N> profiles: <r>x`.
 */
export function printParquetComparison(runs: readonly FormatComparison[]): void {
  const small = runs[0];
  const large = runs[runs.length - 1];
  const ratio = large.parquetExportMs / large.jsonExportMs;
  const memoryRatio = large.parquetWorkerPeakBytes / small.parquetWorkerPeakBytes;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.log('');
  for (const run of runs)
    console.log(
      `${run.profiles} profiles: parquet export ${seconds(run.parquetExportMs)}, json lines export ` +
        `${seconds(run.jsonExportMs)}, parquet worker peak memory ${mb(run.parquetWorkerPeakBytes)}`,
    );
  console.log(`parquet export time ratio (goal <= 1.5x): ${ratio <= 1.5 ? 'MET' : 'NOT MET'}`);
  console.log(
    `parquet worker peak memory, ${large.profiles} vs ${small.profiles} profiles: ${memoryRatio.toFixed(2)} (goal <= 1.3) ${memoryRatio <= 1.3 ? 'MET' : 'NOT MET'}`,
  );
  console.log(`parquet export / json lines export at ${large.profiles} profiles: ${ratio.toFixed(2)}x`);
}
