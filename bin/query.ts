#!/usr/bin/env node
import './quiet-sdk-warning';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import type { Dataset } from '../lambda/contract/dataset';
import { findXdmSchema } from '../lambda/contract/xdm-schemas';
import { openDatasetEngine } from './support/dataset-sql';
import { downloadCompleteBatches } from './support/local-dataset-batches';
import { authenticatedHeaders, readLocalService } from './support/local-client';
import { formatTable } from './support/text-table';

/**
 * `npm run query -- --dataset <id> "<SQL>"`: the SQL that Athena runs over the dataset's Glue
 * table, run locally with DuckDB over the complete batches (with a manifest) of the dataset in
 * the running local stack, the dataset being the table `dataset_<id>` with a `batchid` column.
 */
async function main(): Promise<void> {
  const program = new Command('npm run query --')
    .description('Runs SQL over the complete batches of a dataset of the running local stack (DuckDB).')
    .requiredOption('--dataset <id>', 'the dataset: queried as the table dataset_<id>')
    .option('--org <org>', 'x-gw-ims-org-id of the dataset', 'demo-org@AdobeOrg')
    .option('--sandbox <sandbox>', 'x-sandbox-name of the dataset', 'prod')
    .option('--json', 'print the rows as JSON')
    .option('--data-dir <dir>', 'data folder of the local stack', '.local')
    .argument('<sql>', 'the query, e.g. "SELECT count(*) FROM dataset_<id>"')
    .parse();
  const options = program.opts<{ dataset: string; org: string; sandbox: string; json?: boolean; dataDir: string }>();
  const [sql] = program.args;
  const stack = readLocalService(options.dataDir);
  const tenant = { orgId: options.org, sandboxName: options.sandbox };

  // The dataset as the API gives it to its tenant: its schema and file format decide the columns.
  const response = await fetch(`${stack.url}/dataSets/${encodeURIComponent(options.dataset)}`, {
    headers: await authenticatedHeaders(options.dataDir, tenant),
  });
  if (!response.ok) throw new Error(`GET /dataSets/${options.dataset}: ${response.status} ${await response.text()}`);
  const dataset = ((await response.json()) as Record<string, Dataset>)[options.dataset];
  const schema = findXdmSchema(dataset.schemaRef.id);
  if (!schema) throw new Error(`The dataset's schema ${dataset.schemaRef.id} is not one the service knows`);

  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-query-'));
  try {
    const batches = await downloadCompleteBatches(stack, tenant, options.dataset, directory);
    const engine = await openDatasetEngine({
      datasetId: options.dataset,
      schema,
      format: dataset.fileDescription.format,
      batches,
    });
    try {
      const result = await engine.query(sql);
      if (options.json) console.log(JSON.stringify(result.rows, null, 2));
      else {
        console.log(formatTable(result.columns, result.rows));
        console.error(`${result.rows.length} rows; ${engine.tableName} has ${batches.length} complete batches`);
      }
    } finally {
      engine.close();
    }
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
