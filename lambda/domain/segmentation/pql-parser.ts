import { generate, type LocationRange } from 'peggy';
import type { Condition, PqlPosition } from './pql-ast';
import { PQL_GRAMMAR } from './pql-grammar';

/**
 * Why Peggy: a maintained PEG parser generator (Node ≥ 20, CommonJS, no runtime dependencies of
 * the generated parser) whose grammar reads like the language, whose failures carry the
 * line/column/offset of the furthest point reached, and whose actions can fail at a position of
 * their choosing — what a 400 "pointing at the first unsupported construct" needs. Chevrotain
 * (v11+) is ESM-only and wants Node 22; ohm-js is ESM-only too.
 *
 * The parser is generated from the grammar once per execution environment (module load).
 */
const parser = generate(PQL_GRAMMAR);

export type PqlParseResult =
  { readonly ok: true; readonly condition: Condition } | { readonly ok: false; readonly error: PqlSyntaxError };

export interface PqlSyntaxError {
  readonly message: string;
  /** Where the first construct outside the supported subset (or the first syntax error) starts. */
  readonly position: PqlPosition;
}

/** Parses PQL text into its typed syntax tree, or says where and why it is outside the subset. */
export function parsePql(text: string): PqlParseResult {
  try {
    return { ok: true, condition: parser.parse(text) as Condition };
  } catch (error) {
    const location = (error as { location?: LocationRange }).location;
    if (!(error instanceof parser.SyntaxError) || !location) throw error;
    const { offset, line, column } = location.start;
    return { ok: false, error: { message: error.message, position: { offset, line, column } } };
  }
}
