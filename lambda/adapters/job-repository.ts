import { DynamoDbJobRepository } from './dynamodb-job-repository';
import { dynamoDb } from './aws-clients';
import { ENVIRONMENT, requiredEnv } from './job-table-layout';

/** The job repository of this execution environment, on the table the construct names. */
export const jobRepository = new DynamoDbJobRepository(dynamoDb, requiredEnv(ENVIRONMENT.jobTableName));

export const systemClock = { now: () => Date.now() };
