import type { CloudFormationTemplate } from './cloudformation-template';
import { matchesPattern } from './event-pattern';
import type { LocalLambdaRuntime } from './lambda-runtime';

interface LocalRule {
  readonly name: string;
  /** The bus the rule listens on ('default' unless the rule names another). */
  readonly eventBusName: string;
  readonly pattern: unknown;
  readonly targets: ReadonlyArray<{ readonly functionArn: string; readonly maximumRetryAttempts: number }>;
}

/** An event as a bus received it, for tools and tests that watch what was published. */
export interface PublishedEvent {
  readonly eventBusName: string;
  readonly event: Record<string, unknown>;
}

/** How many published events the journal keeps (the oldest go first). */
const JOURNAL_SIZE = 10_000;

/** The name of a bus given by name or by ARN (`arn:…:event-bus/<name>`); absent means the default bus. */
export function eventBusNameOf(nameOrArn: string | undefined): string {
  if (!nameOrArn) return 'default';
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1) : nameOrArn;
}

/**
 * The event buses of the local stack: the template's AWS::Events::Rule resources, on the bus
 * each names, with their event patterns and their Lambda targets, invoked asynchronously with
 * the rule's retries. Every event put on a bus is also kept in a journal.
 */
export class LocalEventBus {
  private readonly rules: LocalRule[];
  private readonly pending = new Set<Promise<void>>();
  private readonly journal: PublishedEvent[] = [];

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
        eventBusName: eventBusNameOf(props.EventBusName),
        pattern: props.EventPattern,
        targets: (props.Targets ?? [])
          .filter((target: { Arn: string }) => target.Arn.includes(':lambda:'))
          .map((target: { Arn: string; RetryPolicy?: { MaximumRetryAttempts?: number } }) => ({
            functionArn: target.Arn,
            maximumRetryAttempts: target.RetryPolicy?.MaximumRetryAttempts ?? 185,
          })),
      }));
  }

  /** PutEvents: delivers `event` to the target of every rule of the bus whose pattern matches it. */
  put(event: Record<string, unknown>, eventBusName = 'default'): void {
    this.journal.push({ eventBusName, event });
    if (this.journal.length > JOURNAL_SIZE) this.journal.shift();
    for (const rule of this.rules) {
      if (rule.eventBusName !== eventBusName || !matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        const delivery = this.deliver(target.functionArn, event, target.maximumRetryAttempts).finally(() =>
          this.pending.delete(delivery),
        );
        this.pending.add(delivery);
      }
    }
  }

  /** The events put on the buses, oldest first (at most the last 10,000). */
  published(): readonly PublishedEvent[] {
    return [...this.journal];
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
