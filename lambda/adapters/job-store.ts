import { ENVIRONMENT } from '../contract/environment';
import { dynamoDb } from './aws-clients';
import { DynamoDbJobStore } from './job-store/dynamodb-job-store';
import { requiredEnv } from './required-env';

/** The job store of this execution environment, on the table the construct names. */
export const jobStore = new DynamoDbJobStore(dynamoDb, requiredEnv(ENVIRONMENT.jobTableName));

export const systemClock = { now: () => Date.now() };
