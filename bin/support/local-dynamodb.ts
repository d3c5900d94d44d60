import * as http from 'node:http';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS } from '../../local/local-network';

/**
 * A document client of the local stack's DynamoDB with `sockets` kept-alive connections (the
 * tools that keep many requests in flight need that many), and how to close both.
 */
export function localDocumentClient(endpoint: string, sockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      requestHandler: { httpAgent: agent },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
  return {
    client,
    close: () => {
      client.destroy();
      agent.destroy();
    },
  };
}
