import { ENVIRONMENT } from '../../lambda/contract/environment';
import {
  startLocalStack,
  type LocalStackDescription,
  type LocalStackOptions,
  type RunningLocalStack,
} from '../../local/local-stack';
import { DEV_ISSUER } from '../stages';
import { synthesizeStage } from './synthesize-stage';

/**
 * The resources of the service that tools of the local stack use (seeding, reading batches,
 * benchmarks, tests), each named by the environment variable through which the construct tells
 * the functions.
 */
export const SERVICE_RESOURCES = {
  jobTable: ENVIRONMENT.jobTableName,
  datasetTable: ENVIRONMENT.datasetTableName,
  configTable: ENVIRONMENT.configTableName,
  profileTable: ENVIRONMENT.profileTableName,
  eventTable: ENVIRONMENT.eventTableName,
  membershipIndex: ENVIRONMENT.membershipIndexTableName,
  exportBucket: ENVIRONMENT.exportBucketName,
  stateMachine: ENVIRONMENT.stateMachineArn,
  /** Not a resource but a setting: the bucket count the seeder claims for a new tenant. */
  profileStoreShards: ENVIRONMENT.profileStoreShards,
} as const;

export type ServiceResource = keyof typeof SERVICE_RESOURCES;
/** A running local stack of this service, as a client finds it (local-stack.json). */
export type LocalService = LocalStackDescription<ServiceResource>;
export type RunningLocalService = RunningLocalStack<ServiceResource>;

export interface LocalServiceOptions extends Omit<
  LocalStackOptions<ServiceResource>,
  'assembly' | 'devIssuer' | 'resources'
> {
  /** The stage whose app is synthesized. @default 'local' */
  readonly stage?: string;
}

/**
 * This service on the local runtime: the app of `stage` synthesized once the runtime's
 * development issuer is up, run with that issuer's identity, and described with the service's
 * resources.
 */
export function startLocalService(options: LocalServiceOptions = {}): Promise<RunningLocalService> {
  const { stage = 'local', ...rest } = options;
  return startLocalStack({
    ...rest,
    assembly: synthesizeStage(stage),
    devIssuer: DEV_ISSUER,
    resources: SERVICE_RESOURCES,
  });
}
