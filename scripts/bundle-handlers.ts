import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { HANDLER_ASSETS_DIRECTORY, PACKAGE_ROOT } from '../lib/handler-assets';

/** What each bundle was built from, kept outside the asset folders (which ship as they are). */
const RECORDS_DIRECTORY = path.join(PACKAGE_ROOT, 'dist', '.bundle-records');

/**
 * `npm run build:handlers`: bundles every Lambda handler (`lambda/handlers/*.ts`) once, with
 * esbuild, into its own asset folder (`dist/handlers/<name>/index.js` and its source map). The
 * constructs deploy these folders as they are (`lambda.Code.fromAsset`), so an app that uses the
 * library synthesizes without esbuild or Docker, and the code a test runs is the code that ships.
 *
 * The AWS SDK v3 is bundled too rather than taken from the Lambda runtime: the code then runs
 * with the SDK version it was tested with, not whatever the runtime carries that day, and
 * esbuild keeps only the commands the handler uses.
 *
 * Incremental: a handler is rebundled only when the content of one of its inputs (as recorded
 * in the previous build's metafile) or the build options changed. Contents, not modification
 * times: npm extracts packages with their tarballs' old timestamps, so an upgraded dependency
 * would look older than the bundle.
 */
const HANDLERS_SOURCE = path.join(PACKAGE_ROOT, 'lambda', 'handlers');

export const BUNDLE_OPTIONS: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Lambda runs Node 24; the local stack runs the same bundles on Node 20.
  target: 'node20',
  // ES module builds of the SDK and Powertools tree-shake better.
  mainFields: ['module', 'main'],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: true,
};
const OPTIONS_KEY = JSON.stringify(BUNDLE_OPTIONS);

interface BuildRecord {
  readonly options: string;
  readonly inputs: string[];
  /** sha256 over the contents of the inputs, in order. */
  readonly digest: string;
}

function digestOf(inputs: string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs) {
    const file = path.join(PACKAGE_ROOT, input);
    hash.update(input).update(fs.existsSync(file) ? fs.readFileSync(file) : 'missing');
  }
  return hash.digest('hex');
}

export interface BundleResult {
  readonly name: string;
  readonly rebuilt: boolean;
  /** Size of index.js in bytes. */
  readonly bytes: number;
}

export function handlerNames(): string[] {
  return fs
    .readdirSync(HANDLERS_SOURCE)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

function upToDate(name: string, outdir: string): boolean {
  const bundle = path.join(outdir, 'index.js');
  const recordFile = path.join(RECORDS_DIRECTORY, `${name}.json`);
  if (!fs.existsSync(bundle) || !fs.existsSync(recordFile)) return false;
  const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as BuildRecord;
  return record.options === OPTIONS_KEY && record.digest === digestOf(record.inputs);
}

async function bundle(name: string): Promise<BundleResult> {
  const outdir = path.join(HANDLER_ASSETS_DIRECTORY, name);
  const bundleFile = path.join(outdir, 'index.js');
  if (upToDate(name, outdir)) return { name, rebuilt: false, bytes: fs.statSync(bundleFile).size };
  fs.rmSync(outdir, { recursive: true, force: true });
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: PACKAGE_ROOT,
    entryPoints: [path.join(HANDLERS_SOURCE, `${name}.ts`)],
    outfile: bundleFile,
  });
  const inputs = Object.keys(result.metafile!.inputs);
  const record: BuildRecord = { options: OPTIONS_KEY, inputs, digest: digestOf(inputs) };
  fs.mkdirSync(RECORDS_DIRECTORY, { recursive: true });
  fs.writeFileSync(path.join(RECORDS_DIRECTORY, `${name}.json`), JSON.stringify(record));
  return { name, rebuilt: true, bytes: fs.statSync(bundleFile).size };
}

export async function bundleHandlers(): Promise<BundleResult[]> {
  const names = handlerNames();
  // Bundles of handlers that no longer exist must not ship.
  if (fs.existsSync(HANDLER_ASSETS_DIRECTORY)) {
    for (const entry of fs.readdirSync(HANDLER_ASSETS_DIRECTORY)) {
      if (!names.includes(entry)) fs.rmSync(path.join(HANDLER_ASSETS_DIRECTORY, entry), { recursive: true });
    }
  }
  return Promise.all(names.map(bundle));
}

if (require.main === module) {
  const startedAt = Date.now();
  bundleHandlers()
    .then((results) => {
      for (const { name, rebuilt, bytes } of results) {
        console.log(
          `  ${name.padEnd(18)} ${(bytes / 1024).toFixed(0).padStart(6)} KiB${rebuilt ? '' : '  (up to date)'}`,
        );
      }
      console.log(
        `Bundled ${results.length} handlers into ${path.relative(process.cwd(), HANDLER_ASSETS_DIRECTORY)} in ${Date.now() - startedAt} ms`,
      );
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
