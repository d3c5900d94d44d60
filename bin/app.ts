#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addExportJobsStack } from './build-app';

// `npx cdk deploy -c stage=staging`: the stage comes from context (cdk.json sets the default).
const app = new App();
addExportJobsStack(app, String(app.node.tryGetContext('stage') ?? 'dev'));
