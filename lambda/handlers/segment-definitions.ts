import { randomUUID } from 'node:crypto';
import { builtInMergePolicyReference, configStore } from '../adapters/config-store';
import { systemClock } from '../adapters/job-store';
import {
  CreateSegmentDefinitionRequestSchema,
  UpdateSegmentDefinitionRequestSchema,
  type CreateSegmentDefinitionRequest,
  type SegmentDefinitionList,
  type UpdateSegmentDefinitionRequest,
} from '../contract/segment-definition';
import {
  createSegmentDefinition,
  deleteSegmentDefinition,
  getSegmentDefinition,
  listSegmentDefinitions,
  updateSegmentDefinition,
  type SegmentDefinitionDependencies,
} from '../domain/config/segment-definitions';
import { bodyValidator } from '../http/config-requests';
import { configResourceHandler } from '../http/config-resource-handler';

const dependencies: SegmentDefinitionDependencies = {
  policies: configStore,
  definitions: configStore.segmentDefinitions,
  clock: systemClock,
  newId: () => randomUUID(),
  builtIn: builtInMergePolicyReference,
};

/** /segment/definitions (GET list, POST) and /segment/definitions/{id} (GET, PATCH, DELETE). */
export const handler = configResourceHandler({
  name: 'segmentDefinitions',
  createBody: bodyValidator<CreateSegmentDefinitionRequest>(CreateSegmentDefinitionRequestSchema),
  updateBody: bodyValidator<UpdateSegmentDefinitionRequest>(UpdateSegmentDefinitionRequestSchema),
  list: (tenant, query) => listSegmentDefinitions(dependencies, tenant, query),
  listResponse: (page, next): SegmentDefinitionList => ({
    segments: page.items,
    page: { pageSize: page.items.length, next: page.next ?? '' },
    link: { next },
  }),
  create: (tenant, body) => createSegmentDefinition(dependencies, tenant, body),
  get: (tenant, id) => getSegmentDefinition(dependencies, tenant, id),
  update: (tenant, id, body) => updateSegmentDefinition(dependencies, tenant, id, body),
  remove: (tenant, id) => deleteSegmentDefinition(dependencies, tenant, id),
});
