import { Type, type Static } from '@sinclair/typebox';
import { closedObject, DRAFT_04, stringEnum } from './schema-helpers';
import { CONFIG_ID_PATTERN } from './config-table';
import { KNOWN_XDM_SCHEMAS } from './xdm-schemas';

/** The `schema.name`s a merge policy or segment definition may name: the known XDM schemas. */
/** The built-in default merge policy of every tenant, unless the construct's `defaultMergePolicy` names another. */
export const BUILT_IN_MERGE_POLICY = { id: 'timestampOrdered-none-mp', version: 1 } as const;

export const CONFIG_SCHEMA_NAMES = KNOWN_XDM_SCHEMAS.map((schema) => schema.exportName);

/** The largest page of GET /config/mergePolicies and GET /segment/definitions. */
export const MAX_CONFIG_PAGE_SIZE = 100;

/**
 * The most datasets a `dataSetPrecedence` order lists, and what each id may hold (no character
 * that JSON escapes): a job carries its policy's order through the export workflow, so the
 * heaviest order must fit its payload budget (MAX_WORKFLOW_JOB_BYTES).
 */
export const MAX_PRECEDENCE_DATASETS = 100;
export const SOURCE_DATASET_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,128}$';

const datasetId = Type.String({
  minLength: 1,
  maxLength: 128,
  pattern: SOURCE_DATASET_ID_PATTERN,
  description: 'ID of a source dataset.',
});

export const AttributeMergeSchema = Type.Union(
  [
    closedObject(
      { type: stringEnum(['timestampOrdered'] as const) },
      { description: 'For each attribute, the most recently updated fragment that has it wins.' },
    ),
    closedObject(
      {
        type: stringEnum(['dataSetPrecedence'] as const),
        order: Type.Array(datasetId, {
          minItems: 1,
          maxItems: MAX_PRECEDENCE_DATASETS,
          uniqueItems: true,
          description:
            'Datasets, first wins: the first dataset of the list whose fragment has an attribute supplies it; datasets not listed come after, newest first.',
        }),
      },
      { description: 'For each attribute, the first dataset of `order` that has it wins.' },
    ),
  ],
  { description: 'How the fragments of a profile become one profile.' },
);

const IdentityGraphSchema = closedObject(
  { type: stringEnum(['none'] as const, { description: 'Only "none": fragments are joined by profile id.' }) },
  { description: 'The identity graph used to stitch fragments: none (the profile id).' },
);

const policyName = Type.String({ minLength: 1, maxLength: 256, description: 'Name of the policy.' });

export const CreateMergePolicyRequestSchema = closedObject(
  {
    name: policyName,
    schema: closedObject({ name: stringEnum(CONFIG_SCHEMA_NAMES, { description: 'The XDM schema merged.' }) }),
    identityGraph: Type.Optional(IdentityGraphSchema),
    attributeMerge: AttributeMergeSchema,
    default: Type.Optional(
      Type.Boolean({
        description:
          "Whether this is the tenant's default for its schema (used by jobs that name no policy). At most one per tenant and schema. Default false.",
      }),
    ),
  },
  { title: 'CreateMergePolicyRequest', $schema: DRAFT_04 },
);

export const UpdateMergePolicyRequestSchema = closedObject(
  {
    name: Type.Optional(policyName),
    identityGraph: Type.Optional(IdentityGraphSchema),
    attributeMerge: Type.Optional(AttributeMergeSchema),
    default: Type.Optional(Type.Boolean()),
  },
  {
    title: 'UpdateMergePolicyRequest',
    $schema: DRAFT_04,
    minProperties: 1,
    description: 'The fields to change; each change bumps version.',
  },
);

export const MergePolicySchema = Type.Object(
  {
    id: Type.String({ pattern: CONFIG_ID_PATTERN }),
    name: Type.String(),
    schema: Type.Object({ name: Type.String() }),
    version: Type.Integer({ minimum: 1, description: 'Bumped by every update.' }),
    identityGraph: Type.Object({ type: Type.String() }),
    attributeMerge: AttributeMergeSchema,
    default: Type.Boolean(),
    updateEpoch: Type.Integer({ description: 'When the policy was last written, epoch seconds.' }),
  },
  { title: 'MergePolicy' },
);

export const MergePolicyListSchema = Type.Object(
  {
    children: Type.Array(MergePolicySchema),
    _page: Type.Object({ count: Type.Integer({ minimum: 0 }), next: Type.String() }),
    _links: Type.Object({
      next: Type.Object({ href: Type.String({ description: 'The next page; "" on the last page.' }) }),
    }),
  },
  { title: 'MergePolicyList' },
);

/** Query parameters of the config lists. */
export const ListConfigQuerySchema = closedObject(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_CONFIG_PAGE_SIZE,
        description: `Page size, default ${MAX_CONFIG_PAGE_SIZE}.`,
      }),
    ),
    start: Type.Optional(Type.String({ pattern: CONFIG_ID_PATTERN, description: 'Cursor from the previous page.' })),
  },
  { title: 'ListConfigQuery' },
);

export type AttributeMergeSpec = Static<typeof AttributeMergeSchema>;
export type CreateMergePolicyRequest = Static<typeof CreateMergePolicyRequestSchema>;
export type UpdateMergePolicyRequest = Static<typeof UpdateMergePolicyRequestSchema>;
export type MergePolicy = Static<typeof MergePolicySchema>;
export type MergePolicyList = Static<typeof MergePolicyListSchema>;
export type ListConfigQuery = Static<typeof ListConfigQuerySchema>;
