import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const REPOSITORY = path.resolve(__dirname, '..', '..', '..');
/** The app's name: `cdk init` in a folder of this name generates `lib/customer-data-stack.ts` with `CustomerDataStack`. */
const APP_NAME = 'customer-data';
const EXAMPLE_STACK = path.join(REPOSITORY, 'examples', 'customer-data-stack.ts');

export interface PackedLibrary {
  readonly tarball: string;
  /** Paths inside the tarball (without the `package/` prefix). */
  readonly files: string[];
}

export interface ConsumerApp {
  readonly directory: string;
  /** Runs a command of the app's own node_modules/.bin, as `npx` would, with no Docker on the PATH. */
  run(command: string, args: string[]): string;
}

function installedVersion(name: string): string {
  return JSON.parse(fs.readFileSync(path.join(REPOSITORY, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/** `npm pack` of the repository (its `prepack` runs `npm run build`, incremental). */
export function packLibrary(destination: string): PackedLibrary {
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: REPOSITORY,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // npm prints the prepack script's output before the JSON report.
  const [report] = JSON.parse(output.slice(output.indexOf('[\n')));
  return {
    tarball: path.join(destination, report.filename),
    files: report.files.map((file: { path: string }) => file.path),
  };
}

/** The PATH without any folder that holds a `docker` executable. */
function pathWithoutDocker(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((folder) => !fs.existsSync(path.join(folder, 'docker')))
    .join(path.delimiter);
}

/**
 * A fresh TypeScript CDK app as `cdk init app --language typescript` makes it (the aws-cdk CLI of
 * this repository's devDependencies), whose stack is `examples/customer-data-stack.ts`, with the
 * packed library installed from its tarball. The app runs with ts-node, as cdk init apps did
 * until the template switched to tsx: tsx depends on esbuild, and this app must prove that the
 * library synthesizes where no esbuild exists. Versions are the ones this repository installs,
 * so `npm install --prefer-offline` finds everything in the npm cache that `npm ci` filled; the
 * template's jest setup is left out (the app's own tests are not what is checked).
 */
export function createConsumerApp(parent: string, tarball: string): ConsumerApp {
  const directory = path.join(parent, APP_NAME);
  fs.mkdirSync(directory);
  const env = { ...process.env, PATH: pathWithoutDocker(), CDK_DISABLE_VERSION_CHECK: '1' };
  const cdk = path.join(REPOSITORY, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  execFileSync(process.execPath, [cdk, 'init', 'app', '--language', 'typescript', '--generate-only'], {
    cwd: directory,
    env,
    stdio: 'pipe',
  });

  const packageFile = path.join(directory, 'package.json');
  const manifest = JSON.parse(fs.readFileSync(packageFile, 'utf8'));
  manifest.dependencies = {
    'aws-cdk-lib': installedVersion('aws-cdk-lib'),
    constructs: installedVersion('constructs'),
    'cdk-export-jobs': `file:${tarball}`,
  };
  manifest.devDependencies = Object.fromEntries(
    ['@types/node', 'aws-cdk', 'ts-node', 'typescript'].map((name) => [name, installedVersion(name)]),
  );
  fs.writeFileSync(packageFile, JSON.stringify(manifest, null, 2));
  const cdkJsonFile = path.join(directory, 'cdk.json');
  const cdkJson = JSON.parse(fs.readFileSync(cdkJsonFile, 'utf8'));
  cdkJson.app = `npx ts-node --prefer-ts-exts bin/${APP_NAME}.ts`;
  fs.writeFileSync(cdkJsonFile, JSON.stringify(cdkJson, null, 2));
  fs.rmSync(path.join(directory, 'test'), { recursive: true });
  fs.rmSync(path.join(directory, 'jest.config.js'));
  const tsconfigFile = path.join(directory, 'tsconfig.json');
  const tsconfig = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8'));
  tsconfig.compilerOptions.types = tsconfig.compilerOptions.types.filter((name: string) => name !== 'jest');
  fs.writeFileSync(tsconfigFile, JSON.stringify(tsconfig, null, 2));
  fs.copyFileSync(EXAMPLE_STACK, path.join(directory, 'lib', 'customer-data-stack.ts'));

  execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: directory,
    env,
    stdio: 'pipe',
  });
  return {
    directory,
    run(command, args) {
      try {
        return execFileSync(path.join(directory, 'node_modules', '.bin', command), args, {
          cwd: directory,
          env,
          encoding: 'utf8',
          stdio: 'pipe',
        });
      } catch (error) {
        const { stdout, stderr } = error as { stdout?: string; stderr?: string };
        throw new Error(`${command} ${args.join(' ')} failed:\n${stdout ?? ''}\n${stderr ?? ''}`);
      }
    },
  };
}

export function temporaryDirectory(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'export-jobs-consumer-'));
}
