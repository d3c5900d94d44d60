import type { Tenant } from '../../contract/tenant';
import type { ExportJobSpec } from '../../contract/workflow';
import type { SegmentDefinitionRepository } from '../config/ports';
import { SegmentDefinitionChangedError } from '../errors';
import { parsePql } from '../segmentation/pql-parser';
import type { EvaluatedSegment } from './segment-evaluation';

/**
 * The definitions a job evaluates, as they were when the job was created. Each is read by key
 * (one GetItem per listed segment id, per worker invocation: small next to a page of profiles);
 * one updated after the job's creation time, or deleted, fails the job naming it, rather than
 * evaluating something the job's creator never saw. Why not a copy on the job: 100 segments of
 * 16 KiB of PQL fit neither the workflow's payloads (the job travels in every state) nor a
 * DynamoDB item (400 KB).
 */
export async function jobSegmentDefinitions(
  definitions: Pick<SegmentDefinitionRepository, 'get'>,
  tenant: Tenant,
  job: Pick<ExportJobSpec, 'filter'> & { readonly creationTime: number },
): Promise<EvaluatedSegment[]> {
  const ids = [...new Set((job.filter.segments ?? []).map((segment) => segment.segmentId))];
  const created = new Date(job.creationTime).toISOString();
  return Promise.all(
    ids.map(async (segmentId) => {
      const definition = await definitions.get(tenant, segmentId);
      if (!definition) {
        throw new SegmentDefinitionChangedError(
          `Segment definition ${segmentId} was deleted after the job was created (${created}): nothing to evaluate.`,
        );
      }
      if (definition.updateTime > job.creationTime) {
        throw new SegmentDefinitionChangedError(
          `Segment definition ${segmentId} was updated at ${new Date(definition.updateTime).toISOString()}, after ` +
            `the job was created (${created}); a job evaluates the definitions as they were when it was created: ` +
            'create the job again to evaluate the new one.',
        );
      }
      const parsed = parsePql(definition.expression.value);
      // The routes refuse PQL outside the subset: only a definition written by other means gets here.
      if (!parsed.ok) {
        throw new SegmentDefinitionChangedError(
          `Segment definition ${segmentId} is outside the supported PQL subset: ${parsed.error.message}`,
        );
      }
      return { segmentId, condition: parsed.condition };
    }),
  );
}
