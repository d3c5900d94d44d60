import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_DATASET_FILE_FORMAT, FILE_FORMATS } from './file-format';
import { closedObject, stringEnum } from './schema-helpers';
import { KNOWN_XDM_SCHEMAS } from './xdm-schemas';

/**
 * The datasets of the catalog (`POST /dataSets`, as the reference documents' `004_…` creates
 * the target of an export): what a client sends and what it reads back.
 */

/** A dataset id: 24 lowercase hex characters, as the reference catalog's ids. */
export const DATASET_ID_PATTERN = '^[0-9a-f]{24}$';

/** Page sizes of GET /dataSets. */
export const DEFAULT_DATASET_PAGE_SIZE = 50;
export const MAX_DATASET_PAGE_SIZE = 100;

const text = (description: string, maxLength = 256) => Type.String({ minLength: 1, maxLength, description });

const knownSchemaIds = KNOWN_XDM_SCHEMAS.map((schema) => schema.id).join(', ');

export const DatasetSchemaRefSchema = closedObject(
  {
    id: text(`ID of the dataset's XDM schema; the service knows ${knownSchemaIds}.`, 1024),
    contentType: Type.Optional(text('Media type of the schema, e.g. application/vnd.adobe.xed+json;version=1.')),
  },
  { description: 'The XDM schema the dataset holds.' },
);

export const DatasetFileDescriptionSchema = closedObject(
  {
    format: Type.Optional(
      stringEnum(FILE_FORMATS, {
        description: `Format of the part files of the dataset's batches. Default ${DEFAULT_DATASET_FILE_FORMAT}.`,
      }),
    ),
    containerFormat: Type.Optional(text('Container format, recorded as given (the reference sends "parquet").')),
    persisted: Type.Optional(Type.Boolean({ description: 'Recorded as given.' })),
  },
  { description: 'How the batches of the dataset are stored.' },
);

export const CreateDatasetRequestSchema = closedObject(
  {
    name: text('A descriptive name.'),
    description: Type.Optional(text('What the dataset holds.', 4096)),
    schemaRef: DatasetSchemaRefSchema,
    fileDescription: Type.Optional(DatasetFileDescriptionSchema),
    aspect: Type.Optional(text('Recorded as given, e.g. production.')),
  },
  {
    title: 'CreateDatasetRequest',
    description: 'Body of POST /dataSets.',
    $schema: 'http://json-schema.org/draft-04/schema#',
  },
);

/** Created: the path of the new dataset, as the reference catalog answers. */
export const CreatedDatasetSchema = Type.Array(Type.String({ pattern: '^@/dataSets/[0-9a-f]{24}$' }), {
  title: 'CreatedDataset',
  description: 'One entry, "@/dataSets/<id>".',
  minItems: 1,
  maxItems: 1,
});

export const DatasetSchema = Type.Object(
  {
    name: Type.String(),
    description: Type.Optional(Type.String()),
    schemaRef: Type.Object({ id: Type.String(), contentType: Type.Optional(Type.String()) }),
    fileDescription: Type.Object({
      format: stringEnum(FILE_FORMATS),
      containerFormat: Type.Optional(Type.String()),
      persisted: Type.Optional(Type.Boolean()),
    }),
    aspect: Type.Optional(Type.String()),
    imsOrg: Type.String(),
    sandboxName: Type.String(),
    created: Type.Integer({ description: 'Epoch milliseconds.' }),
    updated: Type.Integer({ description: 'Epoch milliseconds.' }),
  },
  { title: 'Dataset' },
);

// Maps keyed by id are written with additionalProperties (not TypeBox's Record, which emits
// patternProperties) so that OpenAPI 3.0 can describe them too.
export const DatasetByIdSchema = Type.Unsafe<Record<string, Dataset>>({
  title: 'DatasetById',
  type: 'object',
  description: 'The dataset, keyed by its id (as the reference catalog answers).',
  additionalProperties: DatasetSchema,
});

export const DatasetPageSchema = Type.Object({
  limit: Type.Integer({ minimum: 1 }),
  count: Type.Integer({ minimum: 0, description: 'Datasets on this page.' }),
  next: Type.String({
    description:
      'The next page: the path this page was requested at with `limit` and `start` (the id of the last dataset of this page), to resolve against the URL of this request; "" on the last page.',
  }),
});

export const DatasetListSchema = Type.Unsafe<Record<string, unknown>>({
  title: 'DatasetList',
  type: 'object',
  description:
    'A page of datasets, newest first, keyed by id; `_page.next` leads to the next page (walking it returns every dataset once). Ids never start with `_`.',
  properties: { _page: DatasetPageSchema },
  required: ['_page'],
  additionalProperties: DatasetSchema,
});

/** Query parameters of GET /dataSets. Values arrive as strings and are coerced. */
export const ListDatasetsQuerySchema = closedObject(
  {
    limit: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_DATASET_PAGE_SIZE,
        description: `Page size, default ${DEFAULT_DATASET_PAGE_SIZE}.`,
      }),
    ),
    start: Type.Optional(
      Type.String({ pattern: DATASET_ID_PATTERN, description: 'Cursor: the `start` of `_page.next`.' }),
    ),
  },
  { title: 'ListDatasetsQuery' },
);

export type CreateDatasetRequest = Static<typeof CreateDatasetRequestSchema>;
export type Dataset = Static<typeof DatasetSchema>;
export type DatasetPage = Static<typeof DatasetPageSchema>;
export type ListDatasetsQuery = Static<typeof ListDatasetsQuerySchema>;
