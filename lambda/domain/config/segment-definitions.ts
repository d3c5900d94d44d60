import type {
  CreateSegmentDefinitionRequest,
  SegmentDefinition,
  UpdateSegmentDefinitionRequest,
} from '../../contract/segment-definition';
import type { Tenant } from '../../contract/tenant';
import { ConflictError, InvalidRequestError, ResourceNotFoundError, UnprocessableRequestError } from '../errors';
import { parsePql } from '../segmentation/pql-parser';
import { findMergePolicy, resolveJobMergePolicy, type MergePolicyDependencies } from './merge-policies';
import type { ConfigPage, ConfigPageQuery, SegmentDefinitionRepository } from './ports';

export interface SegmentDefinitionDependencies extends MergePolicyDependencies {
  readonly definitions: SegmentDefinitionRepository;
}

const WHAT = 'segment definition';

export async function getSegmentDefinition(
  dependencies: SegmentDefinitionDependencies,
  tenant: Tenant,
  id: string,
): Promise<SegmentDefinition> {
  const definition = await dependencies.definitions.get(tenant, id);
  if (!definition) throw new ResourceNotFoundError(WHAT, id);
  return definition;
}

export function listSegmentDefinitions(
  dependencies: SegmentDefinitionDependencies,
  tenant: Tenant,
  query: ConfigPageQuery,
): Promise<ConfigPage<SegmentDefinition>> {
  return dependencies.definitions.list(tenant, query);
}

/** A new definition: its PQL inside the subset, its merge policy one of the tenant's (default: the tenant's default). */
export async function createSegmentDefinition(
  dependencies: SegmentDefinitionDependencies,
  tenant: Tenant,
  request: CreateSegmentDefinitionRequest,
): Promise<SegmentDefinition> {
  checkPql(request.expression.value);
  const mergePolicyId = await checkedMergePolicyId(dependencies, tenant, request.schema.name, request.mergePolicyId);
  const now = dependencies.clock.now();
  const definition: SegmentDefinition = {
    id: dependencies.newId(),
    name: request.name,
    ...(request.description !== undefined && { description: request.description }),
    schema: request.schema,
    expression: request.expression,
    mergePolicyId,
    creationTime: now,
    updateTime: now,
  };
  await dependencies.definitions.create(tenant, definition);
  return definition;
}

export async function updateSegmentDefinition(
  dependencies: SegmentDefinitionDependencies,
  tenant: Tenant,
  id: string,
  request: UpdateSegmentDefinitionRequest,
): Promise<SegmentDefinition> {
  if (request.expression) checkPql(request.expression.value);
  const current = await getSegmentDefinition(dependencies, tenant, id);
  const mergePolicyId =
    request.mergePolicyId === undefined
      ? current.mergePolicyId
      : await checkedMergePolicyId(dependencies, tenant, current.schema.name, request.mergePolicyId);
  // Strictly later than the state read, so the conditional write can tell the two apart.
  const next: SegmentDefinition = {
    ...current,
    ...request,
    mergePolicyId,
    updateTime: Math.max(dependencies.clock.now(), current.updateTime + 1),
  };
  if (!(await dependencies.definitions.replace(tenant, current, next))) throw changed(id);
  return next;
}

export async function deleteSegmentDefinition(
  dependencies: SegmentDefinitionDependencies,
  tenant: Tenant,
  id: string,
): Promise<void> {
  const current = await getSegmentDefinition(dependencies, tenant, id);
  if (!(await dependencies.definitions.remove(tenant, current))) throw changed(id);
}

/** Refuses PQL outside the subset with a 400 pointing at where the first unsupported construct starts. */
function checkPql(text: string): void {
  const result = parsePql(text);
  if (result.ok) return;
  const { line, column, offset } = result.error.position;
  throw new InvalidRequestError('The PQL expression is outside the supported subset.', [
    {
      path: '/expression/value',
      code: 'pql_unsupported',
      message: `line ${line}, column ${column} (offset ${offset}): ${result.error.message}`,
      position: result.error.position,
    },
  ]);
}

async function checkedMergePolicyId(
  dependencies: SegmentDefinitionDependencies,
  tenant: Tenant,
  schemaName: string,
  requested: string | undefined,
): Promise<string> {
  if (requested === undefined) return (await resolveJobMergePolicy(dependencies, tenant, schemaName, undefined)).id;
  const policy = await findMergePolicy(dependencies, tenant, requested);
  if (!policy || policy.schema.name !== schemaName) {
    throw new UnprocessableRequestError(
      `No merge policy ${requested} of schema ${schemaName} exists in this tenant.`,
      [
        {
          path: '/mergePolicyId',
          code: 'not_found',
          message: `no merge policy ${requested} of ${schemaName} in this tenant`,
        },
      ],
    );
  }
  return policy.id;
}

function changed(id: string): ConflictError {
  return new ConflictError(`Segment definition ${id} was changed by another request; read it and retry.`, [
    { path: '/id', code: 'changed', message: 'the definition changed since it was read' },
  ]);
}
