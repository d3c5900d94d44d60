import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { addExportJobsStack } from '../bin/build-app';

/**
 * Synthesizes the app of a stage (the same builder `cdk synth` runs) into `outdir`, and returns
 * the stack's template file. The functions' code is the handler bundles of `npm run build`
 * (copied into `outdir` as assets). Asset metadata is switched on so each function names the
 * folder of its bundle; `context` is what `cdk synth -c` would
 * pass (the local runner passes its development issuer's JWKS URI).
 */
export function synthesize(
  stage: string,
  outdir: string,
  context: Record<string, string> = {},
): { templateFile: string; stackName: string } {
  const app = new App({ outdir, context: { ...context, 'aws:cdk:enable-asset-metadata': true } });
  const stack = addExportJobsStack(app, stage);
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  return { templateFile: path.resolve(assembly.directory, artifact.templateFile), stackName: stack.stackName };
}
