import { bundleHandlers } from '../../../scripts/bundle-handlers';

/**
 * The global set-up of the suites that start local stacks of their own: the handler bundles
 * brought up to date (incremental), as `npm start` does, so that a run of `npx jest` alone
 * tests the handlers' current code. No shared stack: each suite starts its own.
 */
export default async function bundleSetup(): Promise<void> {
  await bundleHandlers();
}
