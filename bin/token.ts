#!/usr/bin/env node
import './quiet-sdk-warning';
import { parseArgs } from 'node:util';
import { loadDevIssuer } from './support/local-client';

/**
 * `npm run token -- --org <org> [--org …] --sandbox <sandbox> [--sandbox …] [--ttl seconds]`:
 * prints a bearer token of the local stack's development issuer granting those orgs and
 * sandboxes ('*' grants any sandbox).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      org: { type: 'string', multiple: true, default: ['demo-org@AdobeOrg'] },
      sandbox: { type: 'string', multiple: true, default: ['prod'] },
      ttl: { type: 'string', default: '3600' },
      subject: { type: 'string' },
      'data-dir': { type: 'string', default: '.local' },
    },
  });
  const issuer = await loadDevIssuer(values['data-dir']);
  console.log(
    await issuer.mint({
      orgs: values.org,
      sandboxes: values.sandbox,
      ttlSeconds: Number(values.ttl),
      ...(values.subject && { subject: values.subject }),
    }),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
