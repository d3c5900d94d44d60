import { randomUUID } from 'node:crypto';
import { builtInMergePolicyReference, configStore } from '../adapters/config-store';
import { systemClock } from '../adapters/job-store';
import {
  CreateMergePolicyRequestSchema,
  UpdateMergePolicyRequestSchema,
  type CreateMergePolicyRequest,
  type MergePolicyList,
  type UpdateMergePolicyRequest,
} from '../contract/merge-policy';
import {
  createMergePolicy,
  deleteMergePolicy,
  getMergePolicy,
  listMergePolicies,
  updateMergePolicy,
  type MergePolicyDependencies,
} from '../domain/config/merge-policies';
import { bodyValidator } from '../http/config-requests';
import { configResourceHandler } from '../http/config-resource-handler';

const dependencies: MergePolicyDependencies = {
  policies: configStore,
  clock: systemClock,
  newId: () => randomUUID(),
  builtIn: builtInMergePolicyReference,
};

/** /config/mergePolicies (GET list, POST) and /config/mergePolicies/{id} (GET, PATCH, DELETE). */
export const handler = configResourceHandler({
  name: 'mergePolicies',
  createBody: bodyValidator<CreateMergePolicyRequest>(CreateMergePolicyRequestSchema),
  updateBody: bodyValidator<UpdateMergePolicyRequest>(UpdateMergePolicyRequestSchema),
  list: (tenant, query) => listMergePolicies(dependencies, tenant, query),
  listResponse: (page, next): MergePolicyList => ({
    children: page.items,
    _page: { count: page.items.length, next: page.next ?? '' },
    _links: { next: { href: next } },
  }),
  create: (tenant, body) => createMergePolicy(dependencies, tenant, body),
  get: (tenant, id) => getMergePolicy(dependencies, tenant, id),
  update: (tenant, id, body) => updateMergePolicy(dependencies, tenant, id, body),
  remove: (tenant, id) => deleteMergePolicy(dependencies, tenant, id),
});
