import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDbDatasetStore } from '../../lambda/adapters/dataset-store/dynamodb-dataset-store';
import type { FileFormat } from '../../lambda/contract/file-format';
import type { Tenant } from '../../lambda/contract/tenant';
import { XDM_PROFILE_UNION } from '../../lambda/contract/xdm-schemas';
import { localDocumentClient } from './local-dynamodb';
import { SOURCE_DATASETS } from './profile-generator';

/**
 * The datasets the local stack's demo tenant has from the start, with the ids the README's
 * examples and the reference documents use, so that their curl commands work as written.
 *
 * Their format is `parquet`, the default of a dataset created through POST /dataSets without
 * one, as the reference platform's datasets are (`npm run batch` reads Parquet parts with DuckDB).
 */
export const DEMO_DATASETS: ReadonlyArray<{ id: string; name: string; format: FileFormat }> = [
  { id: '5b7c86968f7b6501e21ba9df', name: 'Profile Data Export', format: 'parquet' },
  { id: '5b020a27e7040801dedba61b', name: 'Profile Data Export (reference tutorial)', format: 'parquet' },
];

/**
 * The datasets the seeded profiles' fragments come from (SOURCE_DATASETS of the generator), so
 * that a `dataSetPrecedence` merge policy names datasets the tenant has. JSON, as a source
 * dataset's format does not matter to the service.
 */
export const SOURCE_DATASET_LIST: ReadonlyArray<{ id: string; name: string; format: FileFormat }> = Object.values(
  SOURCE_DATASETS,
).map(({ id, name }) => ({ id, name, format: 'json' }));

export interface DatasetSeedTarget {
  readonly dynamoDbEndpoint: string;
  readonly resources: { readonly datasetTable: string };
}

/** Writes the demo datasets into `tenant`, through the service's own dataset store; those already there are kept. */
export async function seedDemoDatasets(target: DatasetSeedTarget, tenant: Tenant, now = Date.now()): Promise<string[]> {
  await seedDatasets(target, tenant, DEMO_DATASETS, now);
  return DEMO_DATASETS.map(({ id }) => id);
}

/** Writes the source datasets of the generated fragments into `tenant` (those already there are kept). */
export async function seedSourceDatasets(
  target: DatasetSeedTarget,
  tenant: Tenant,
  now = Date.now(),
): Promise<string[]> {
  await seedDatasets(target, tenant, SOURCE_DATASET_LIST, now);
  return SOURCE_DATASET_LIST.map(({ id }) => id);
}

async function seedDatasets(
  target: DatasetSeedTarget,
  tenant: Tenant,
  datasets: ReadonlyArray<{ id: string; name: string; format: FileFormat }>,
  now: number,
): Promise<void> {
  const { client, close } = localDocumentClient(target.dynamoDbEndpoint, 2);
  const store = new DynamoDbDatasetStore(client, target.resources.datasetTable);
  try {
    for (const { id, name, format } of datasets) {
      const dataset = {
        name,
        schemaRef: { id: XDM_PROFILE_UNION.id, contentType: 'application/vnd.adobe.xed+json;version=1' },
        fileDescription: { format, persisted: true },
        aspect: 'production',
        imsOrg: tenant.orgId,
        sandboxName: tenant.sandboxName,
        created: now,
        updated: now,
      };
      await store.insert(tenant, { id, dataset }).catch((error: unknown) => {
        // Seeded by an earlier run: seeding is idempotent.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
    }
  } finally {
    close();
  }
}
