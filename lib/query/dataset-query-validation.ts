import { Token } from 'aws-cdk-lib';
import type { DatasetQuerySettings } from './dataset-query';

const DATABASE_NAME = /^[a-z0-9_]{1,255}$/;
const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;

/** Every problem of the query props, each naming the prop and the value it got. */
export function datasetQueryProblems(options: DatasetQuerySettings): string[] {
  const problems: string[] = [];
  const { databaseName, workgroupName, resultsRetention, bytesScannedCutoffPerQuery: cutoff } = options;
  if (databaseName !== undefined && !Token.isUnresolved(databaseName) && !DATABASE_NAME.test(databaseName))
    problems.push(`query.databaseName must match [a-z0-9_]{1,255}, got '${databaseName}'`);
  if (workgroupName !== undefined && !Token.isUnresolved(workgroupName) && !WORKGROUP_NAME.test(workgroupName))
    problems.push(`query.workgroupName must match [a-zA-Z0-9._-]{1,128}, got '${workgroupName}'`);
  if (
    resultsRetention !== undefined &&
    !resultsRetention.isUnresolved() &&
    resultsRetention.toDays({ integral: false }) < 1
  )
    problems.push(`query.resultsRetention must be at least 1 day, got ${resultsRetention}`);
  if (cutoff !== undefined && !Token.isUnresolved(cutoff) && !(Number.isInteger(cutoff) && cutoff >= 10_000_000))
    problems.push(`query.bytesScannedCutoffPerQuery must be an integer of at least 10000000 (10 MB), got ${cutoff}`);
  if (options.resultsBucket && resultsRetention)
    problems.push(
      `query.resultsRetention applies to a results bucket the construct creates, not to query.resultsBucket, got ${resultsRetention}`,
    );
  return problems;
}
