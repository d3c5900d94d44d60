import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { AUTH_ENVIRONMENT, ENVIRONMENT } from '../lambda/contract/environment';
import { HANDLER_ASSETS_DIRECTORY, PACKAGE_ROOT } from '../lib/handler-assets';
import { BUNDLE_OPTIONS, bundleHandlers, handlerNames } from '../scripts/bundle-handlers';

/**
 * `npm run bench:cold-start`: what bundling the AWS SDK into the handlers costs at a cold start.
 * For each handler, the time to load its module (Lambda's "Init" phase: the code and the
 * module-scope clients) as shipped, SDK inside, against the same handler built with the SDK
 * left external and resolved from node_modules, as the Lambda runtime's own SDK would be. Each
 * load is a fresh Node.js process (nothing cached); the figure is the median of RUNS loads.
 */
const RUNS = Number(process.env.COLD_START_RUNS ?? 7);

/** Every variable a handler reads at module scope, with a placeholder value. */
const ENVIRONMENT_PLACEHOLDERS = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'placeholder',
  AWS_SECRET_ACCESS_KEY: 'placeholder',
  POWERTOOLS_SERVICE_NAME: 'export-jobs',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  ...Object.fromEntries(
    [...Object.values(ENVIRONMENT), ...Object.values(AUTH_ENVIRONMENT)].map((name) => [name, 'placeholder']),
  ),
  [AUTH_ENVIRONMENT.issuerKind]: 'oidc',
  [AUTH_ENVIRONMENT.issuer]: 'https://issuer.example',
  [AUTH_ENVIRONMENT.jwksUri]: 'https://issuer.example/jwks',
  [ENVIRONMENT.exportPageSize]: '500',
};

/** Milliseconds to require `bundle` in a fresh process. */
function loadTime(bundle: string, nodePath?: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundle)});console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const output = execFileSync(process.execPath, ['-e', script], {
    env: { ...ENVIRONMENT_PLACEHOLDERS, PATH: process.env.PATH ?? '', ...(nodePath && { NODE_PATH: nodePath }) },
    encoding: 'utf8',
  });
  return Number(output.trim().split('\n').at(-1));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  await bundleHandlers();
  const externalDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'cold-start-'));
  const rows: Array<{ name: string; bundled: number; external: number; bytes: [number, number] }> = [];
  try {
    for (const name of handlerNames()) {
      const shipped = path.join(HANDLER_ASSETS_DIRECTORY, name, 'index.js');
      const external = path.join(externalDirectory, name, 'index.js');
      await esbuild.build({
        ...BUNDLE_OPTIONS,
        absWorkingDir: PACKAGE_ROOT,
        entryPoints: [path.join(PACKAGE_ROOT, 'lambda', 'handlers', `${name}.ts`)],
        outfile: external,
        external: ['@aws-sdk/*', '@smithy/*'],
        // The runtime's SDK is CommonJS in node_modules.
        mainFields: ['main'],
      });
      const bundled: number[] = [];
      const externalTimes: number[] = [];
      // Interleaved, so that a busy moment of the machine weighs on both alike.
      for (let run = 0; run < RUNS; run += 1) {
        bundled.push(loadTime(shipped));
        externalTimes.push(loadTime(external, path.join(PACKAGE_ROOT, 'node_modules')));
      }
      rows.push({
        name,
        bundled: median(bundled),
        external: median(externalTimes),
        bytes: [fs.statSync(shipped).size, fs.statSync(external).size],
      });
    }
  } finally {
    fs.rmSync(externalDirectory, { recursive: true, force: true });
  }
  console.log(`Module load (Init) on Node.js ${process.version}, median of ${RUNS} fresh processes:`);
  console.log('  handler              SDK bundled        SDK external (node_modules)');
  for (const row of rows) {
    console.log(
      `  ${row.name.padEnd(20)} ${row.bundled.toFixed(0).padStart(5)} ms ${(row.bytes[0] / 1024).toFixed(0).padStart(5)} KiB   ${row.external.toFixed(0).padStart(5)} ms ${(row.bytes[1] / 1024).toFixed(0).padStart(5)} KiB`,
    );
  }
  const total = (pick: (row: (typeof rows)[number]) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
  console.log(
    `cold start, SDK bundled / SDK external: ${(total((row) => row.bundled) / total((row) => row.external)).toFixed(2)}x`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
