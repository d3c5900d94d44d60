import { ENVIRONMENT } from '../contract/environment';
import { dynamoDb } from './aws-clients';
import { DynamoDbDatasetStore } from './dataset-store/dynamodb-dataset-store';
import { requiredEnv } from './required-env';

/** The dataset store of this execution environment, on the table the construct names. */
export const datasetStore = new DynamoDbDatasetStore(dynamoDb, requiredEnv(ENVIRONMENT.datasetTableName));
