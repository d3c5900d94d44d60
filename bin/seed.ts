#!/usr/bin/env node
import './quiet-sdk-warning';
import { parseArgs } from 'node:util';
import { readLocalService } from './support/local-client';
import { seedProfileStore } from './support/seed-profile-store';

/**
 * `npm run seed -- --profiles N [--seed S] [--org O] [--sandbox S] [--no-events]`: writes a
 * realistic, deterministic profile store for one tenant into the running local stack.
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
  const written = await seedProfileStore(
    stack,
    { orgId: values.org, sandboxName: values.sandbox },
    { profiles: Number(values.profiles), seed: Number(values.seed), events: !values['no-events'] },
  );
  console.log(
    `Seeded ${written.profiles} profiles and ${written.events} events for ${values.org}/${values.sandbox} ` +
      `(seed ${values.seed}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
