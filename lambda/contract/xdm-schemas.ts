import { Type, type TSchema } from '@sinclair/typebox';

/**
 * The XDM schemas the service knows: a dataset's `schemaRef.id` must name one, and a job's
 * `schema.name` must be the export name of its dataset's schema. The service ships one, the
 * XDM Individual Profile union schema its profile store holds. Each is a JSON Schema (as XDM
 * schemas are), the single description of the fields that the Parquet writer turns into
 * columns, the Glue tables into table columns and the documentation into a table.
 *
 * Nested objects are nested columns; `identities` is a list of structs; `segmentMembership`
 * is a map (namespace → segment id → membership), written with `additionalProperties`.
 */

const timestamp = (description: string) => Type.String({ format: 'date-time', description });

const membership = Type.Object({
  status: Type.String({ enum: ['realized', 'existing', 'exited'] }),
  lastQualificationTime: timestamp('When the profile last qualified for the segment.'),
});

/** An ExperienceEvent as the profile store holds it: the items of an exported `eventList`. */
export const XDM_EXPERIENCE_EVENT = Type.Object(
  {
    _id: Type.String(),
    timestamp: timestamp('When the event happened.'),
    eventType: Type.String(),
    web: Type.Optional(
      Type.Object({ webPageDetails: Type.Optional(Type.Object({ name: Type.Optional(Type.String()) })) }),
    ),
    environment: Type.Optional(
      Type.Object({
        browserDetails: Type.Optional(
          Type.Object({ name: Type.Optional(Type.String()), version: Type.Optional(Type.String()) }),
        ),
      }),
    ),
    commerce: Type.Optional(
      Type.Object({ order: Type.Optional(Type.Object({ priceTotal: Type.Optional(Type.Number()) })) }),
    ),
  },
  { title: 'XDM ExperienceEvent' },
);

/** The XDM Individual Profile union schema: the merged profiles the store holds. */
export const XDM_INDIVIDUAL_PROFILE = Type.Object(
  {
    identities: Type.Array(Type.Object({ id: Type.String(), namespace: Type.String() })),
    person: Type.Optional(
      Type.Object({
        name: Type.Optional(
          Type.Object({ firstName: Type.Optional(Type.String()), lastName: Type.Optional(Type.String()) }),
        ),
      }),
    ),
    personalEmail: Type.Optional(
      Type.Object({ address: Type.Optional(Type.String()), status: Type.Optional(Type.String()) }),
    ),
    mobilePhone: Type.Optional(Type.Object({ number: Type.Optional(Type.String()) })),
    homeAddress: Type.Optional(
      Type.Object({ city: Type.Optional(Type.String()), countryCode: Type.Optional(Type.String()) }),
    ),
    loyalty: Type.Optional(Type.Object({ tier: Type.Optional(Type.String()), points: Type.Optional(Type.Integer()) })),
    segmentMembership: Type.Optional(
      Type.Unsafe<Record<string, Record<string, unknown>>>({
        type: 'object',
        description: 'namespace → segment id → membership.',
        additionalProperties: { type: 'object', additionalProperties: membership },
      }),
    ),
  },
  { title: 'XDM Individual Profile (union)' },
);

export interface XdmSchema {
  /** What a dataset's `schemaRef.id` says. */
  readonly id: string;
  /** What a job's `schema.name` says for a dataset of this schema. */
  readonly exportName: string;
  readonly title: string;
  readonly profile: TSchema;
  /** The schema of the items of an exported profile's `eventList`. */
  readonly event: TSchema;
}

export const XDM_PROFILE_UNION: XdmSchema = {
  id: 'https://ns.adobe.com/xdm/context/profile__union',
  exportName: '_xdm.context.profile',
  title: 'XDM Individual Profile (union)',
  profile: XDM_INDIVIDUAL_PROFILE,
  event: XDM_EXPERIENCE_EVENT,
};

export const KNOWN_XDM_SCHEMAS: readonly XdmSchema[] = [XDM_PROFILE_UNION];

/** The known schema a dataset's `schemaRef.id` names, if any. */
export function findXdmSchema(id: string): XdmSchema | undefined {
  return KNOWN_XDM_SCHEMAS.find((schema) => schema.id === id);
}
