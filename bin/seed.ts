#!/usr/bin/env node
import './quiet-sdk-warning';
import { parseArgs } from 'node:util';
import { readLocalService } from './support/local-client';
import { seedDemoDatasets, seedSourceDatasets } from './support/demo-datasets';
import { seedProfileStore } from './support/seed-profile-store';

/**
 * `npm run seed -- --profiles N [--seed S] [--org O] [--sandbox S] [--no-events]`: writes a
 * realistic, deterministic profile store for one tenant into the running local stack, and
 * gives the tenant the demo datasets and the source datasets of the profiles' fragments
 * (support/demo-datasets.ts) if it has not got them.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      profiles: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      org: { type: 'string', default: 'demo-org@AdobeOrg' },
      sandbox: { type: 'string', default: 'prod' },
      'no-events': { type: 'boolean', default: false },
      'data-dir': { type: 'string', default: '.local' },
    },
  });
  const stack = readLocalService(values['data-dir']);
  const started = Date.now();
  const tenant = { orgId: values.org, sandboxName: values.sandbox };
  const datasets = await seedDemoDatasets(stack, tenant);
  const sources = await seedSourceDatasets(stack, tenant);
  const written = await seedProfileStore(stack, tenant, {
    profiles: Number(values.profiles),
    seed: Number(values.seed),
    events: !values['no-events'],
  });
  console.log(
    `Seeded ${written.profiles} profiles and ${written.events} events for ${values.org}/${values.sandbox} ` +
      `(seed ${values.seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s; its datasets: ${datasets.join(', ')}; ` +
      `the profiles' source datasets: ${sources.join(', ')}`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
