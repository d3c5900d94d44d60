import { Type, type Static } from '@sinclair/typebox';
import { closedObject, DRAFT_04, stringEnum } from './schema-helpers';
import { CONFIG_ID_PATTERN } from './config-table';
import { CONFIG_SCHEMA_NAMES } from './merge-policy';

/** The longest PQL expression accepted. */
export const MAX_PQL_LENGTH = 16 * 1024;

const ExpressionSchema = closedObject(
  {
    type: stringEnum(['PQL'] as const),
    format: stringEnum(['pql/text'] as const),
    value: Type.String({
      minLength: 1,
      maxLength: MAX_PQL_LENGTH,
      description: 'The condition, in the PQL subset the README documents.',
    }),
  },
  { description: 'The segment condition.' },
);

const definitionName = Type.String({ minLength: 1, maxLength: 256, description: 'Name of the segment.' });
const description = Type.String({ maxLength: 4096, description: 'What the segment is for.' });
const mergePolicyId = Type.String({
  pattern: CONFIG_ID_PATTERN,
  description: "The merge policy profiles are merged by before evaluation. Default: the tenant's default policy.",
});

export const CreateSegmentDefinitionRequestSchema = closedObject(
  {
    name: definitionName,
    description: Type.Optional(description),
    schema: closedObject({ name: stringEnum(CONFIG_SCHEMA_NAMES) }),
    expression: ExpressionSchema,
    mergePolicyId: Type.Optional(mergePolicyId),
  },
  { title: 'CreateSegmentDefinitionRequest', $schema: DRAFT_04 },
);

export const UpdateSegmentDefinitionRequestSchema = closedObject(
  {
    name: Type.Optional(definitionName),
    description: Type.Optional(description),
    expression: Type.Optional(ExpressionSchema),
    mergePolicyId: Type.Optional(mergePolicyId),
  },
  { title: 'UpdateSegmentDefinitionRequest', $schema: DRAFT_04, minProperties: 1 },
);

export const SegmentDefinitionSchema = Type.Object(
  {
    id: Type.String({ pattern: CONFIG_ID_PATTERN }),
    name: Type.String(),
    description: Type.Optional(Type.String()),
    schema: Type.Object({ name: Type.String() }),
    expression: Type.Object({ type: Type.String(), format: Type.String(), value: Type.String() }),
    mergePolicyId: Type.String(),
    creationTime: Type.Integer({ description: 'Epoch milliseconds.' }),
    updateTime: Type.Integer({ description: 'Epoch milliseconds.' }),
  },
  { title: 'SegmentDefinition' },
);

export const SegmentDefinitionListSchema = Type.Object(
  {
    segments: Type.Array(SegmentDefinitionSchema),
    page: Type.Object({ pageSize: Type.Integer({ minimum: 0 }), next: Type.String() }),
    link: Type.Object({ next: Type.String({ description: 'The next page; "" on the last page.' }) }),
  },
  { title: 'SegmentDefinitionList' },
);

export type CreateSegmentDefinitionRequest = Static<typeof CreateSegmentDefinitionRequestSchema>;
export type UpdateSegmentDefinitionRequest = Static<typeof UpdateSegmentDefinitionRequestSchema>;
export type SegmentDefinition = Static<typeof SegmentDefinitionSchema>;
export type SegmentDefinitionList = Static<typeof SegmentDefinitionListSchema>;
