import { Token } from 'aws-cdk-lib';

/** Path segments API Gateway accepts as resource path parts, without path parameters. */
const BASE_PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

/**
 * What is wrong with a `basePath` prop, naming the value; undefined when it is absent or valid.
 * A base path is one or more literal segments, each after a `/`, with no trailing `/` (e.g.
 * `/data/core/ups`): the routes are mounted under it, below the stage.
 */
export function basePathProblem(basePath: string | undefined): string | undefined {
  if (basePath === undefined) return undefined;
  if (Token.isUnresolved(basePath)) {
    return `basePath must be known at synth time (it names API Gateway resources), got a token`;
  }
  if (!BASE_PATH.test(basePath)) {
    return `basePath must be '/'-separated segments of letters, digits and . _ ~ -, starting with '/' and not ending with it (e.g. '/data/core/ups'), got '${basePath}'`;
  }
  return undefined;
}
