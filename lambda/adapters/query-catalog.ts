import { GlueClient } from '@aws-sdk/client-glue';
import { ENVIRONMENT } from '../contract/environment';
import { QUERY_CATALOGS, type QueryCatalogKind } from '../contract/query-catalog';
import type { QueryCatalog } from '../domain/query/query-catalog';
import { logger, tracer } from '../observability/powertools';
import { exportBucketName } from './export-workflow-dependencies';
import { GlueQueryCatalog, NoQueryCatalog } from './glue-query-catalog';
import { requiredEnv } from './required-env';
import { s3Client } from './s3-client';

/** The Glue client of this execution environment (region, credentials from the environment). */
const glueClient = tracer.captureAWSv3Client(new GlueClient({}));

/** The catalog the construct configured (`QUERY_CATALOG`); an unknown value is a deployment error. */
export function queryCatalog(): QueryCatalog {
  const kind = requiredEnv(ENVIRONMENT.queryCatalog) as QueryCatalogKind;
  if (!QUERY_CATALOGS.includes(kind)) {
    throw new Error(`${ENVIRONMENT.queryCatalog} is ${kind}; expected one of ${QUERY_CATALOGS.join(', ')}`);
  }
  if (kind === 'none') return new NoQueryCatalog(logger);
  return new GlueQueryCatalog(
    glueClient,
    s3Client,
    requiredEnv(ENVIRONMENT.queryDatabaseName),
    exportBucketName(),
    logger,
  );
}
