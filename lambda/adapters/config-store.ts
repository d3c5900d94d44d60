import { ENVIRONMENT } from '../contract/environment';
import type { BuiltInMergePolicyReference } from '../domain/config/built-in-merge-policy';
import { dynamoDb } from './aws-clients';
import { DynamoDbConfigStore } from './config-store/dynamodb-config-store';
import { requiredEnv } from './required-env';

/** The config store of this execution environment, on the table the construct names. */
export const configStore = new DynamoDbConfigStore(dynamoDb, requiredEnv(ENVIRONMENT.configTableName));

/** The built-in merge policy every tenant has (the construct's `defaultMergePolicy`). */
export const builtInMergePolicyReference: BuiltInMergePolicyReference = {
  id: requiredEnv(ENVIRONMENT.defaultMergePolicyId),
  ...(process.env[ENVIRONMENT.defaultMergePolicyVersion] && {
    version: Number(process.env[ENVIRONMENT.defaultMergePolicyVersion]),
  }),
};
