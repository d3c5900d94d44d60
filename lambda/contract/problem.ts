import { Type, type Static } from '@sinclair/typebox';

/** `application/problem+json` (RFC 9457) as every error response of the API carries it. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The `type` URI of a kind of problem (the gateway's own responses use it too). */
export function problemType(kind: string): string {
  return `urn:export-jobs:problem:${kind}`;
}

export const ProblemFieldErrorSchema = Type.Object({
  path: Type.String({ description: 'JSON pointer to the invalid value ("" for the whole request).' }),
  code: Type.String({ description: 'Machine-readable reason, e.g. required, unknown_field, format.' }),
  message: Type.String(),
  position: Type.Optional(
    Type.Object(
      {
        offset: Type.Integer({ minimum: 0, description: '0-based offset in the text.' }),
        line: Type.Integer({ minimum: 1 }),
        column: Type.Integer({ minimum: 1 }),
      },
      { description: 'Where in a text value (a PQL expression) the problem starts.' },
    ),
  ),
});

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: 'URI reference identifying the kind of problem.' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    requestId: Type.String(),
    errors: Type.Array(ProblemFieldErrorSchema, { description: 'One entry per invalid field.' }),
  },
  { title: 'Problem' },
);

export type Problem = Static<typeof ProblemSchema>;
export type ProblemFieldError = Static<typeof ProblemFieldErrorSchema>;
