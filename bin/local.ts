#!/usr/bin/env node
import './quiet-sdk-warning';
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { stageSettings } from './stages';
import { standardPlanApiKey } from './support/local-client';
import { startLocalService } from './support/local-service';
import { DEMO_DATASETS, seedDemoDatasets, seedSourceDatasets } from './support/demo-datasets';
import { seedProfileStore } from './support/seed-profile-store';

const DEMO_TENANT = { orgId: 'demo-org@AdobeOrg', sandboxName: 'prod' };

/**
 * `npm start`: the whole service on this machine. Flags:
 *   --port <n>          API port (default 3000; 0 picks a free one)
 *   --reset             forget the jobs and exports of earlier runs
 *   --data-dir <path>   where data and logs are kept (default .local, git-ignored)
 *   --in-memory         keep DynamoDB in memory (nothing survives a restart)
 *   --ready-file <path> write {url, ...} as JSON there once the API is up (for scripts and tests)
 *   --logs              print the functions' logs here too (they always go to <data-dir>/logs)
 *   --no-seed           do not write the small demo profile store (300 profiles of demo-org@AdobeOrg/prod)
 *                       and its datasets (support/demo-datasets.ts)
 *   --stage <name>      the stage of bin/stages.ts to synthesize (default local; local-ups mounts the
 *                       routes under the reference platform's /data/core/ups)
 *   --custom-domain <p> serve the API as a custom domain mapped to the stage at base path <p> does
 *                       ('' for the root mapping) instead of under /<stage>
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.PORT ?? '3000' },
      reset: { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.local' },
      'in-memory': { type: 'boolean', default: false },
      'ready-file': { type: 'string' },
      logs: { type: 'boolean', default: false },
      'no-seed': { type: 'boolean', default: false },
      stage: { type: 'string', default: 'local' },
      'custom-domain': { type: 'string' },
    },
  });
  const stage = values.stage;
  // Where the jobs are: under the stage path, then the stage's base path (if any), as on AWS.
  const jobsPath = `${stageSettings(stage).basePath ?? ''}/export/jobs`;
  const datasetsPath = `${stageSettings(stage).basePath ?? ''}/dataSets`;
  const startedAt = Date.now();
  const stack = await startLocalService({
    stage,
    ...(values['custom-domain'] !== undefined && { customDomainBasePath: values['custom-domain'] }),
    port: Number(values.port),
    reset: values.reset,
    dataDirectory: values['data-dir'],
    inMemory: values['in-memory'],
    ...(values.logs && { functionLogs: (name: string, line: string) => console.log(`[${name}] ${line}`) }),
  });
  if (!values['no-seed']) {
    // The same seed every time: idempotent, and a newcomer's first export returns data.
    await seedProfileStore(stack, DEMO_TENANT, { profiles: 300, seed: 1 });
    await seedDemoDatasets(stack, DEMO_TENANT);
    await seedSourceDatasets(stack, DEMO_TENANT);
  }
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  if (values['ready-file']) {
    fs.writeFileSync(
      values['ready-file'],
      JSON.stringify({
        url: stack.url,
        jobsUrl: `${stack.url}${jobsPath}`,
        dynamoDbEndpoint: stack.dynamoDbEndpoint,
        s3Endpoint: stack.s3Endpoint,
        pid: process.pid,
      }),
    );
  }
  const token = await stack.devIssuer.mint({
    orgs: [DEMO_TENANT.orgId],
    sandboxes: [DEMO_TENANT.sandboxName],
    ttlSeconds: 12 * 3600,
  });
  const apiKey = standardPlanApiKey(stack.apiKeys);
  const headers = `-H "Authorization: Bearer $TOKEN" -H 'x-api-key: ${apiKey}' -H 'x-gw-ims-org-id: ${DEMO_TENANT.orgId}' -H 'x-sandbox-name: ${DEMO_TENANT.sandboxName}'`;
  console.log(`
Export Jobs API running at ${stack.url}  (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)
  Jobs: ${stack.url}${jobsPath}   (served only under ${new URL(stack.url).pathname}, as API Gateway serves them)
  Control paths ${stack.controlUrl}/{faults,events}: -H 'Authorization: Bearer ${stack.adminToken}'
  DynamoDB Local ${stack.dynamoDbEndpoint}   S3 (s3rver) ${stack.s3Endpoint}   Step Functions ${stack.stepFunctionsEndpoint}
  Logs: ${values['data-dir']}/logs/   Stop: Ctrl+C
  API keys: ${Object.entries(stack.apiKeys)
    .map(([id, value]) => `${value} (${id})`)
    .join(', ')}
  A token for another org or sandbox: npm run token -- --org <org> --sandbox <sandbox>

Try it (a token for ${DEMO_TENANT.orgId} / ${DEMO_TENANT.sandboxName}, valid 12 hours):
  TOKEN=${token}
  curl -s -X POST ${stack.url}${jobsPath} ${headers} \\
    -H 'Content-Type: application/json' \\
    -d '{"destination":{"datasetId":"${DEMO_DATASETS[0].id}"},"schema":{"name":"_xdm.context.profile"}}'
  curl -s ${stack.url}${jobsPath} ${headers}
  curl -s ${stack.url}${datasetsPath} ${headers}
`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
