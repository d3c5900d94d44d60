import { STATEFUL_LOGICAL_IDS, STATEFUL_TYPES } from './stateful-logical-ids';
import { synthService } from './support/synth';

describe('logical IDs of stateful resources', () => {
  it('GIVEN the default service WHEN synthesized THEN every table, bucket, user pool, key and queue keeps its reviewed logical ID', () => {
    const resources: Record<string, { Type: string }> = synthService().template.toJSON().Resources;
    const actual: Record<string, string[]> = {};
    for (const [logicalId, { Type }] of Object.entries(resources)) {
      if (STATEFUL_TYPES.includes(Type)) (actual[Type] ??= []).push(logicalId);
    }
    for (const ids of Object.values(actual)) ids.sort();
    // A difference means a deployment would replace a resource that holds data: see the
    // comment in stateful-logical-ids.ts before touching the list.
    expect(actual).toEqual(STATEFUL_LOGICAL_IDS);
  });
});
