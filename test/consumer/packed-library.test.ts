import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OPERATIONS } from '../../lambda/contract/operations';
import {
  createConsumerApp,
  packLibrary,
  REPOSITORY,
  temporaryDirectory,
  type ConsumerApp,
  type PackedLibrary,
} from './support/consumer-app';

interface CfnResource {
  Type: string;
  Properties?: Record<string, any>;
  Metadata?: Record<string, any>;
}

const HANDLERS = fs
  .readdirSync(path.join(REPOSITORY, 'lambda', 'handlers'))
  .map((file) => path.basename(file, '.ts'))
  .sort();

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** The full path of an API Gateway method, from its resource's chain of PathParts. */
function methodPath(resources: Record<string, CfnResource>, resourceId: unknown): string {
  const ref = (resourceId as { Ref?: string }).Ref;
  if (!ref) return ''; // the API's root resource (Fn::GetAtt RootResourceId)
  const resource = resources[ref].Properties!;
  return `${methodPath(resources, resource.ParentId)}/${resource.PathPart}`;
}

describe('the packed library, installed into a fresh cdk init app', () => {
  let workspace: string;
  let packed: PackedLibrary;
  let app: ConsumerApp;
  let resources: Record<string, CfnResource>;
  let assembly: string;

  beforeAll(() => {
    // GIVEN the library packed as it would be published, and a new TypeScript CDK app (no esbuild,
    // no docker on the PATH) whose stack is the README's example, with the tarball installed
    workspace = temporaryDirectory();
    packed = packLibrary(workspace);
    app = createConsumerApp(workspace, packed.tarball);
    // WHEN the app is type-checked strictly and synthesized with the CDK CLI
    app.run('tsc', ['--noEmit']);
    app.run('cdk', ['synth', '--quiet', '--no-notices']);
    assembly = path.join(app.directory, 'cdk.out');
    resources = JSON.parse(fs.readFileSync(path.join(assembly, 'CustomerDataStack.template.json'), 'utf8')).Resources;
  }, 600_000);

  afterAll(() => {
    if (workspace) fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('ships the jsii assembly, the compiled library with declarations and a prebuilt bundle per handler', () => {
    expect(packed.files).toEqual(expect.arrayContaining(['.jsii', 'dist/lib/index.js', 'dist/lib/index.d.ts']));
    for (const handler of HANDLERS) {
      expect(packed.files).toEqual(
        expect.arrayContaining([`dist/handlers/${handler}/index.js`, `dist/handlers/${handler}/index.js.map`]),
      );
    }
    const assemblyFile = JSON.parse(
      fs.readFileSync(path.join(app.directory, 'node_modules', 'cdk-export-jobs', '.jsii'), 'utf8'),
    );
    expect(assemblyFile.types).toHaveProperty(['cdk-export-jobs.ExportJobsService']);
  });

  it('ships no tests, benchmarks, CI, examples, local emulator, sources, build records or Python packages', () => {
    const unwanted = packed.files.filter(
      (file) =>
        /^(test|bench|\.ci|examples|local|bin|scripts|docs|lib|lambda|dist\/packages|dist\/python)\//.test(file) ||
        /\.test\.|\.tsbuildinfo$|\.bundle-records/.test(file) ||
        (file.endsWith('.ts') && !file.endsWith('.d.ts')),
    );
    expect(unwanted).toEqual([]);
  });

  it('needs at synth time only aws-cdk-lib, constructs, Node.js and the bundled TypeBox', () => {
    const installed = path.join(app.directory, 'node_modules', 'cdk-export-jobs');
    const compiled = packed.files.filter((file) => /^dist\/(lib|lambda)\/.*\.js$/.test(file));
    expect(
      compiled.filter((file) => file.startsWith('dist/lambda/') && !file.startsWith('dist/lambda/contract/')),
    ).toEqual([]);
    const packages = new Set<string>();
    for (const file of compiled) {
      for (const [, name] of fs
        .readFileSync(path.join(installed, file), 'utf8')
        .matchAll(/require\("([^".][^"]*)"\)/g)) {
        packages.add(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]);
      }
    }
    const allowed = ['aws-cdk-lib', 'constructs', '@sinclair/typebox'];
    expect([...packages].filter((name) => !allowed.includes(name) && !name.startsWith('node:'))).toEqual([]);
    expect(packed.files).toContain('node_modules/@sinclair/typebox/package.json');
  });

  it('ships the export-jobs command, bundled: its bin runs in the app with no dependency installed for it', () => {
    expect(packed.files).toContain('dist/cli/export-jobs.js');
    const help = app.run('export-jobs', ['--help']);
    for (const command of ['create', 'list', 'get', 'cancel', 'watch', 'download']) expect(help).toContain(command);
  });

  it('installs without esbuild: nothing is bundled at synth time', () => {
    expect(fs.existsSync(path.join(app.directory, 'node_modules', 'esbuild'))).toBe(false);
    expect(fs.existsSync(path.join(app.directory, 'node_modules', '.bin', 'docker'))).toBe(false);
  });

  it("synthesizes the service's routes", () => {
    const routes = Object.values(resources)
      .filter(
        (resource) => resource.Type === 'AWS::ApiGateway::Method' && resource.Properties!.HttpMethod !== 'OPTIONS',
      )
      .map((method) => `${method.Properties!.HttpMethod} ${methodPath(resources, method.Properties!.ResourceId)}`);
    expect(routes).toEqual(
      expect.arrayContaining(OPERATIONS.map((operation) => `${operation.method} ${operation.path}`)),
    );
  });

  it("deploys every function from the package's prebuilt handler bundles, unchanged", () => {
    const functions = Object.values(resources).filter((resource) => resource.Type === 'AWS::Lambda::Function');
    const deployed = functions.map((fn) => {
      expect(fn.Properties).toMatchObject({ Handler: 'index.handler', Runtime: 'nodejs24.x' });
      return sha256(path.join(assembly, fn.Metadata!['aws:asset:path'], 'index.js'));
    });
    const installed = path.join(app.directory, 'node_modules', 'cdk-export-jobs', 'dist', 'handlers');
    const bundles = HANDLERS.map((handler) => sha256(path.join(installed, handler, 'index.js')));
    expect(new Set(deployed)).toEqual(new Set(bundles));
    expect(bundles).toEqual(
      HANDLERS.map((handler) => sha256(path.join(REPOSITORY, 'dist', 'handlers', handler, 'index.js'))),
    );
  });
});
