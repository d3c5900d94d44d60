import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { IdempotencyAlreadyInProgressError, IdempotencyValidationError } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { IdempotencyConflictError } from '../domain/errors';
import { dynamoDbClient } from './aws-clients';
import { ENVIRONMENT } from '../contract/environment';
import { requiredEnv } from './required-env';

const DEFAULT_TTL_SECONDS = 24 * 60 * 60;

/** What makes two requests "the same": the scope is the key, the payload must match. */
export interface IdempotentInput<P> {
  /** Tenant and Idempotency-Key: the same key in two tenants names two requests. */
  readonly scope: string;
  /** What must be equal for a retry to be accepted (compared after sorting object keys). */
  readonly payload: P;
}

/**
 * Makes `operation` idempotent with Powertools for AWS Lambda: the first call with a scope
 * runs it and stores its result in the idempotency table for the TTL; later calls with the
 * same scope and payload get that result; a different payload, or a call while the first is
 * still running, is an IdempotencyConflictError (409).
 */
export function idempotent<P, I extends IdempotentInput<P>, R>(operation: (input: I) => Promise<R>) {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: 'scope',
    payloadValidationJmesPath: 'payload',
    expiresAfterSeconds: Number(process.env[ENVIRONMENT.idempotencyTtlSeconds] ?? DEFAULT_TTL_SECONDS),
  });
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: requiredEnv(ENVIRONMENT.idempotencyTableName),
    awsSdkV3Client: dynamoDbClient,
  });
  const once = makeIdempotent(operation, { persistenceStore, config });
  return async (input: I, context: Context): Promise<R> => {
    config.registerLambdaContext(context);
    try {
      return (await once(input)) as R;
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        throw new IdempotencyConflictError('This Idempotency-Key was already used with a different request.');
      }
      if (error instanceof IdempotencyAlreadyInProgressError) {
        throw new IdempotencyConflictError('A request with this Idempotency-Key is still in progress; retry shortly.');
      }
      throw error;
    }
  };
}
