import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { tracer } from '../observability/powertools';

/**
 * SDK clients, created once per execution environment and reused by every invocation. Region,
 * credentials and endpoints come from the environment as the SDK reads it (Lambda sets them;
 * the local stack points AWS_ENDPOINT_URL_* at its emulators).
 */
export const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient({}));

export const dynamoDb = DynamoDBDocumentClient.from(dynamoDbClient, {
  marshallOptions: { removeUndefinedValues: true },
});
