import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';

/** Settings every Lambda function of the service shares. */
export interface FunctionDefaults {
  /** Memory of the function, in MiB. */
  readonly memorySize: number;
  /** How long one invocation may run. */
  readonly timeout: Duration;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** What happens to the function's log group when it leaves the stack. */
  readonly logRemovalPolicy: RemovalPolicy;
  /** Environment variables of the function (the service's table, bucket and Powertools settings). */
  readonly environment: Record<string, string>;
  /**
   * Reserved concurrency of the function.
   * @default - no reservation (the account's unreserved pool)
   */
  readonly reservedConcurrentExecutions?: number;
}
