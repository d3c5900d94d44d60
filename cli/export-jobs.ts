import { Command, InvalidArgumentError, Option } from 'commander';
import { apiClient } from './client';
import { createDataset, getDataset, listDatasets } from './commands/datasets';
import { downloadJob } from './commands/download';
import { cancelJob, createJob, getJob, listJobs } from './commands/jobs';
import { watchJob } from './commands/watch';
import { output, reportError } from './output';
import { ENVIRONMENT_VARIABLES, resolveConnection, type ConnectionFlags } from './settings';

/**
 * `export-jobs`: the command-line client of the Export Jobs API, shipped in the package
 * (`npx export-jobs …`). Every command goes through the typed client generated from the
 * OpenAPI document. Results go to stdout (JSON with --json), progress and problems to stderr;
 * the exit status is 0 on success, 1 when the API refuses or the job does not succeed, 2 for a
 * usage mistake.
 */
function program(): Command {
  const root = new Command('export-jobs')
    .description('Create, follow and download export jobs of the Export Jobs API.')
    .option('--url <url>', `API root URL, stage included (env ${ENVIRONMENT_VARIABLES.url})`)
    .option('--token <token>', `bearer token (env ${ENVIRONMENT_VARIABLES.token})`)
    .option('--api-key <key>', `API key (env ${ENVIRONMENT_VARIABLES.apiKey})`)
    .option('--org <org>', `organisation, x-gw-ims-org-id (env ${ENVIRONMENT_VARIABLES.org})`)
    .option('--sandbox <name>', `sandbox, x-sandbox-name (env ${ENVIRONMENT_VARIABLES.sandbox}, default prod)`)
    .option('--json', 'print results as JSON, for scripts')
    .showHelpAfterError()
    .exitOverride();

  /** Runs a command with the connection and output the global options give. */
  const run =
    (body: (context: Context, ...args: any[]) => Promise<number>) =>
    async (...args: any[]) => {
      const globals = root.opts<ConnectionFlags & { json?: boolean }>();
      const out = output(globals.json ?? false);
      try {
        process.exitCode = await body({ api: apiClient(resolveConnection(globals)), out }, ...args);
      } catch (error) {
        process.exitCode = reportError(error, out.json);
      }
    };

  root
    .command('create')
    .description('Create an export job from flags and/or a JSON file (flags override the file).')
    .option('-f, --file <job.json>', 'the request body as JSON')
    .option('--dataset <id>', 'destination.datasetId')
    .option('--schema <name>', 'schema.name (default _xdm.context.profile)')
    .option('--fields <paths>', 'comma-separated fields to export')
    .option('--segment <id[:namespace]>', 'a segment of filter.segments (repeatable)', collect, [])
    .option('--segment-per-batch', 'one batch per segment')
    .option('--from-ingest <timestamp>', 'filter.fromIngestTimestamp (RFC 3339)')
    .option('--empty-profiles', 'filter.emptyProfiles: include profiles without a record')
    .option('--idempotency-key <key>', 'retrying with the same key returns the same job')
    .action(run(({ api, out }, flags) => createJob(api, flags, out)));

  root
    .command('list')
    .description('List jobs, newest first.')
    .addOption(new Option('--status <status>').choices(['NEW', 'PROCESSING', 'SUCCEEDED', 'FAILED', 'CANCELLED']))
    .option('--limit <n>', 'page size (1-1000)', positiveInteger)
    .option('--all', 'follow the pages to the end')
    .action(run(({ api, out }, options) => listJobs(api, options, out)));

  root
    .command('get')
    .argument('<id>', 'job id', positiveInteger)
    .description('Show a job.')
    .action(run(({ api, out }, id) => getJob(api, id, out)));

  root
    .command('cancel')
    .argument('<id>', 'job id', positiveInteger)
    .description('Cancel a NEW or PROCESSING job, or delete a finished one from the list.')
    .action(run(({ api, out }, id) => cancelJob(api, id, out)));

  root
    .command('watch')
    .argument('<id>', 'job id', positiveInteger)
    .description('Follow a job with a live progress bar until it ends; exit 0 only if it SUCCEEDED.')
    .option('--interval <ms>', 'milliseconds between polls', positiveInteger, 1000)
    .option('--expected <profiles>', 'profiles the export should hold: the 100 % of the bar', positiveInteger)
    .action(run(({ api, out }, id, options) => watchJob(api, id, options, out)));

  root
    .command('download')
    .argument('<id>', 'job id', positiveInteger)
    .argument('<directory>', 'where to write the files')
    .description("Download every file of the job's batches into <directory>/<batchId>/, checked against the manifests.")
    .action(run(({ api, out }, id, directory) => downloadJob(api, id, directory, out)));

  const datasets = root.command('datasets').description('The datasets of the tenant, the targets of jobs.');
  datasets
    .command('create')
    .description('Create a dataset of the profile schema; prints its id.')
    .requiredOption('--name <name>', 'a descriptive name')
    .addOption(
      new Option('--format <format>', 'file format of its batches (default parquet)').choices(['parquet', 'json']),
    )
    .option('--schema-id <id>', 'schemaRef.id (default the XDM profile union schema)')
    .option('--description <text>', 'what the dataset holds')
    .action(run(({ api, out }, options) => createDataset(api, options, out)));
  datasets
    .command('list')
    .description('List datasets, newest first.')
    .option('--limit <n>', 'page size (1-100)', positiveInteger)
    .option('--all', 'follow the pages to the end')
    .action(run(({ api, out }, options) => listDatasets(api, options, out)));
  datasets
    .command('get')
    .argument('<id>', 'dataset id')
    .description('Show a dataset.')
    .action(run(({ api, out }, id) => getDataset(api, id, out)));

  return root;
}

interface Context {
  readonly api: ReturnType<typeof apiClient>;
  readonly out: ReturnType<typeof output>;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function positiveInteger(text: string): number {
  if (!/^[1-9][0-9]*$/.test(text)) throw new InvalidArgumentError(`${text} is not a positive integer.`);
  return Number(text);
}

program()
  .parseAsync(process.argv)
  .catch((error: { exitCode?: number; code?: string }) => {
    // Commander has printed its own message (usage, --help, --version).
    process.exitCode = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
  });
