import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { ExportJobsService, TokenIssuer } from 'cdk-export-jobs';

/**
 * An example of embedding the service in a stack of your own. It is the README's example, and
 * the consumer test (test/consumer) makes it the stack of a fresh `cdk init` app that installs
 * the packed library, then type-checks and synthesizes that app.
 */
export class CustomerDataStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);

    const exportJobs = new ExportJobsService(this, 'ExportJobs', {
      apiStageName: 'v1',
      throttlingRateLimit: 200,
      throttlingBurstLimit: 400,
      defaultMergePolicy: { id: 'my-default-policy', version: 3 },
      idempotencyTtl: Duration.hours(24),
      removalPolicy: RemovalPolicy.RETAIN,
      // Tokens from your own identity provider; its claims list the orgs and sandboxes granted.
      tokenIssuer: TokenIssuer.oidc({
        issuer: 'https://login.example.com/',
        jwksUri: 'https://login.example.com/.well-known/jwks.json',
        audiences: ['export-jobs'],
      }),
      orgsClaim: 'https://example.com/orgs',
      sandboxesClaim: 'https://example.com/sandboxes',
      usagePlans: [
        { name: 'Partners', rateLimit: 20, burstLimit: 40, quotaPerDay: 10_000 },
        { name: 'Internal', rateLimit: 200, burstLimit: 400, quotaPerDay: 1_000_000 },
      ],
      // Or bring your own resources (same layout as JobTable):
      // jobTable: dynamodb.Table.fromTableAttributes(this, 'Jobs', { tableName: 'jobs', globalIndexes: JobTable.INDEX_NAMES }),
      // exportBucket: s3.Bucket.fromBucketName(this, 'Exports', 'my-exports'),
    });

    // A role of yours that reads the exported batches.
    const analytics = new iam.Role(this, 'Analytics', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
    exportJobs.grantReadExports(analytics);

    new cloudwatch.Alarm(this, 'ExportApiServerErrors', {
      metric: exportJobs.metricServerErrors(),
      threshold: 1,
      evaluationPeriods: 1,
    });
  }
}
