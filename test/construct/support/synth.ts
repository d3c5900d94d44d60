import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ExportJobsService, type ExportJobsServiceProps } from '../../../lib/export-jobs-service';

/** An app like the one `cdk synth` runs (the functions' code is the prebuilt bundles of `npm run build`). */
export function testApp(): App {
  return new App();
}

export function synthService(
  props: ExportJobsServiceProps = {},
  configure?: (stack: Stack) => ExportJobsServiceProps,
  stackName = 'TestStack',
) {
  const stack = new Stack(testApp(), stackName, { env: { account: '123456789012', region: 'eu-west-1' } });
  const service = new ExportJobsService(stack, 'ExportJobs', configure ? configure(stack) : props);
  return { stack, service, template: Template.fromStack(stack) };
}

/** The DynamoDB actions a function's policy allows, by table logical id. */
export function dynamoDbActionsByTable(template: Template, functionIdPrefix: string): Record<string, string[]> {
  const policies = template.findResources('AWS::IAM::Policy');
  const entry = Object.entries(policies).find(([id]) => id.startsWith(`ExportJobs${functionIdPrefix}Role`));
  if (!entry) throw new Error(`No policy for ${functionIdPrefix}`);
  const result: Record<string, string[]> = {};
  for (const statement of entry[1].Properties.PolicyDocument.Statement) {
    const actions: string[] = [statement.Action].flat();
    if (!actions.some((action) => action.startsWith('dynamodb:'))) continue;
    for (const resource of [statement.Resource].flat()) {
      const tableId = JSON.stringify(resource).match(/"(ExportJobs\w+Table\w+)"/)?.[1] ?? JSON.stringify(resource);
      result[tableId] = [...new Set([...(result[tableId] ?? []), ...actions])].sort();
    }
  }
  return result;
}
