import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CloudAssemblyStack, LocalRuntimeContext } from '../../local/local-stack';
import { addExportJobsStack } from '../build-app';

/**
 * The synthesis hook of the local stack for a stage: synthesizes the app of that stage (the
 * same builder `cdk synth` runs) into the runtime's assembly folder. The functions' code is the
 * handler bundles of `npm run build` (copied into the assembly as assets), so what runs locally
 * is what ships. Asset metadata is switched on so each function names the folder of its bundle; the
 * runtime's development issuer is passed as context `devIssuerJwksUri`, as `cdk synth -c` would.
 */
export function synthesizeStage(stage: string): (context: LocalRuntimeContext) => CloudAssemblyStack {
  return ({ devIssuerJwksUri, assemblyDirectory }) => {
    const app = new App({
      outdir: assemblyDirectory,
      context: { devIssuerJwksUri, 'aws:cdk:enable-asset-metadata': true },
      // CDK's built-in CloudFormation validation (a WebAssembly rule engine) is most of the
      // time of a synthesis: about 6 of 9.5 s on a busy 2-core machine, at every start of the
      // local stack. Its findings are warnings written into the assembly, which nothing here
      // reads; `cdk synth` of the same app (bin/app.ts) still runs it.
      builtinCloudFormationValidation: false,
    });
    const stack = addExportJobsStack(app, stage);
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    return { templateFile: path.resolve(assembly.directory, artifact.templateFile), stackName: stack.stackName };
  };
}
