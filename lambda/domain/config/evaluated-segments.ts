import type { Tenant } from '../../contract/tenant';
import type { CreateJobCommand } from '../create-job-command';
import { UnprocessableRequestError, type FieldError } from '../errors';
import type { SegmentDefinitionRepository } from './ports';

/**
 * A job that evaluates segments at export (`evaluationInfo.segmentation: true`) must name the
 * segments to evaluate, and each must have a definition in the tenant: otherwise 422, every
 * missing definition listed at its `/filter/segments/<i>/segmentId`. The export evaluates the
 * definitions as they were when the job was created: the workers check that none was updated
 * (or deleted) after the job's creation time, and fail the job saying which one changed.
 */
export async function checkEvaluatedSegments(
  definitions: Pick<SegmentDefinitionRepository, 'get'>,
  tenant: Tenant,
  command: Pick<CreateJobCommand, 'evaluationInfo' | 'filter'>,
): Promise<void> {
  if (!command.evaluationInfo.segmentation) return;
  const segments = command.filter.segments;
  if (!segments || segments.length === 0) {
    throw new UnprocessableRequestError('Evaluating segments at export needs the segments to evaluate.', [
      {
        path: '/filter/segments',
        code: 'requires',
        message: 'evaluationInfo.segmentation true evaluates the listed segments: list at least one',
      },
    ]);
  }
  const ids = [...new Set(segments.map((segment) => segment.segmentId))];
  const found = new Set(
    (await Promise.all(ids.map((id) => definitions.get(tenant, id)))).flatMap((definition) =>
      definition ? [definition.id] : [],
    ),
  );
  const errors: FieldError[] = segments.flatMap((segment, index) =>
    found.has(segment.segmentId)
      ? []
      : [
          {
            path: `/filter/segments/${index}/segmentId`,
            code: 'not_found',
            message: `no segment definition ${segment.segmentId} in this tenant: it cannot be evaluated`,
          },
        ],
  );
  if (errors.length > 0) {
    throw new UnprocessableRequestError('A segment to evaluate at export has no segment definition.', errors);
  }
}
