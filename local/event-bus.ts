import type { CloudFormationTemplate } from './cloudformation-template';
import { matchesPattern } from './event-pattern';
import type { LocalLambdaRuntime } from './lambda-runtime';

interface LocalRule {
  readonly name: string;
  readonly pattern: unknown;
  readonly targets: ReadonlyArray<{ readonly functionArn: string; readonly maximumRetryAttempts: number }>;
}

/**
 * The default event bus for the local stack: the template's AWS::Events::Rule resources, their
 * event patterns, and their Lambda targets, invoked asynchronously with the rule's retries.
 */
export class LocalEventBus {
  private readonly rules: LocalRule[];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    template: CloudFormationTemplate,
    private readonly lambda: LocalLambdaRuntime,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.rules = template
      .ofType('AWS::Events::Rule')
      .map(([, resource]) => template.resolve(resource.Properties ?? {}) as Record<string, any>)
      .filter((props) => props.EventPattern && (props.State ?? 'ENABLED') === 'ENABLED')
      .map((props, index) => ({
        name: props.Name ?? `rule-${index}`,
        pattern: props.EventPattern,
        targets: (props.Targets ?? [])
          .filter((target: { Arn: string }) => target.Arn.includes(':lambda:'))
          .map((target: { Arn: string; RetryPolicy?: { MaximumRetryAttempts?: number } }) => ({
            functionArn: target.Arn,
            maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? 185,
          })),
      }));
  }

  /** PutEvents: delivers `event` to the target of every rule whose pattern matches it. */
  put(event: Record<string, unknown>): void {
    for (const rule of this.rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        const delivery = this.deliver(target.functionArn, event, target.maximumRetryAttempts).finally(() =>
          this.pending.delete(delivery),
        );
        this.pending.add(delivery);
      }
    }
  }

  /** Resolves once every delivery under way has ended. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(functionArn: string, event: unknown, retries: number): Promise<void> {
    for (let attempt = 0; attempt <= Math.min(retries, 5); attempt++) {
      const outcome = await this.lambda
        .invoke(functionArn, event)
        .catch((error: Error) => ({ ok: false as const, error }));
      if (outcome.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
    this.log(`Event delivery to ${functionArn} failed after its retries`);
  }
}
