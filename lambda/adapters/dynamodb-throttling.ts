import { ThrottledError } from '../domain/errors';

const THROTTLING_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
]);

/** DynamoDB throttling that outlasted the SDK's own retries becomes a 429 for the client. */
export function asThrottled(error: unknown, store: string): ThrottledError | undefined {
  const name = (error as { name?: string })?.name;
  return name && THROTTLING_ERRORS.has(name) ? new ThrottledError(`The ${store} is busy; retry shortly.`, 1) : undefined;
}

/** `request`, with DynamoDB throttling reported as a ThrottledError. */
export async function throttledRequest<T>(request: Promise<T>, store: string): Promise<T> {
  try {
    return await request;
  } catch (error) {
    throw asThrottled(error, store) ?? error;
  }
}
