import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { PACKAGE_ROOT } from '../lib/handler-assets';

/** Where the package's `export-jobs` command is built (package.json `bin`). */
export const CLI_BUNDLE = path.join(PACKAGE_ROOT, 'dist', 'cli', 'export-jobs.js');

/**
 * `npm run build:cli`: bundles the command-line client (cli/export-jobs.ts) with its
 * dependencies (commander, cli-progress, openapi-fetch) into one file, so the package needs no
 * runtime dependency for it and `npx export-jobs` starts without resolving any.
 */
export async function bundleCli(): Promise<void> {
  fs.rmSync(path.dirname(CLI_BUNDLE), { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: [path.join(PACKAGE_ROOT, 'cli', 'export-jobs.ts')],
    outfile: CLI_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
    legalComments: 'linked',
    logLevel: 'warning',
  });
  fs.chmodSync(CLI_BUNDLE, 0o755);
}

if (require.main === module) {
  bundleCli()
    .then(() => console.log(`Bundled the CLI into ${path.relative(process.cwd(), CLI_BUNDLE)}`))
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
