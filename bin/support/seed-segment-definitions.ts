import { BUILT_IN_MERGE_POLICY } from '../../lambda/contract/merge-policy';
import type { SegmentDefinition } from '../../lambda/contract/segment-definition';
import type { Tenant } from '../../lambda/contract/tenant';
import { DynamoDbConfigStore } from '../../lambda/adapters/config-store/dynamodb-config-store';
import { SEEDED_SEGMENT_DEFINITIONS } from './generated-segments';
import { localDocumentClient } from './local-dynamodb';

export interface DefinitionSeedTarget {
  readonly dynamoDbEndpoint: string;
  readonly resources: { readonly configTable: string };
}

/**
 * Writes the seeded segment definitions (SEEDED_SEGMENT_DEFINITIONS) into `tenant`, through the
 * service's own config store, as `POST /segment/definitions` stores them. A definition already
 * there with the same PQL is kept (so jobs created since still evaluate it); one with other PQL
 * is replaced, as a PATCH would.
 */
export async function seedSegmentDefinitions(
  target: DefinitionSeedTarget,
  tenant: Tenant,
  now = Date.now(),
): Promise<string[]> {
  const { client, close } = localDocumentClient(target.dynamoDbEndpoint, 2);
  const definitions = new DynamoDbConfigStore(client, target.resources.configTable).segmentDefinitions;
  try {
    for (const { segmentId, name, pql } of SEEDED_SEGMENT_DEFINITIONS) {
      const definition: SegmentDefinition = {
        id: segmentId,
        name,
        schema: { name: '_xdm.context.profile' },
        expression: { type: 'PQL', format: 'pql/text', value: pql },
        mergePolicyId: BUILT_IN_MERGE_POLICY.id,
        creationTime: now,
        updateTime: now,
      };
      const current = await definitions.get(tenant, segmentId);
      if (!current) await definitions.create(tenant, definition);
      else if (current.expression.value !== pql) {
        const updateTime = Math.max(now, current.updateTime + 1);
        await definitions.replace(tenant, current, { ...definition, creationTime: current.creationTime, updateTime });
      }
    }
  } finally {
    close();
  }
  return SEEDED_SEGMENT_DEFINITIONS.map(({ segmentId }) => segmentId);
}
