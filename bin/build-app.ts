import type { App } from 'aws-cdk-lib';
import { ExportJobsStack } from '../lib/export-jobs-stack';
import { stackName, stageSettings } from './stages';

/**
 * Adds the stack of a stage to an app. `bin/app.ts` (what `cdk synth|deploy` runs) and the
 * local stack both build the app here, so the template the local stack executes is the one a
 * deployment of that stage uses.
 */
export function addExportJobsStack(app: App, stage: string): ExportJobsStack {
  return new ExportJobsStack(app, stackName(stage), {
    description: `Export Jobs service (${stage})`,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    service: stageSettings(stage, { devIssuerJwksUri: app.node.tryGetContext('devIssuerJwksUri') }),
  });
}
