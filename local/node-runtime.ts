/**
 * Locally, every function runs on this machine's Node.js, whatever runtime it declares
 * (`nodejs24.x` on Lambda). What that changes, said once instead of in every function's log.
 */

/** The Node.js major version of a declared Lambda runtime (`nodejs24.x` → 24), if it is one. */
export function declaredNodeMajor(runtime: string | undefined): number | undefined {
  const match = /^nodejs(\d+)\.x$/.exec(runtime ?? '');
  return match ? Number(match[1]) : undefined;
}

/** The Node.js major version of this process. */
export function hostNodeMajor(version = process.version): number {
  return Number(/^v(\d+)/.exec(version)![1]);
}

/**
 * Variables the Lambda service sets from the declared runtime: `AWS_EXECUTION_ENV`, as on
 * Lambda; and, when the function declares a Node.js the AWS SDK supports for longer than this
 * machine's, the SDK's switch for its "Node.js version" notice, which on Lambda it would not print.
 */
export function declaredRuntimeEnvironment(
  runtime: string | undefined,
  hostVersion = process.version,
): Record<string, string> {
  const declared = declaredNodeMajor(runtime);
  return {
    ...(runtime && { AWS_EXECUTION_ENV: `AWS_Lambda_${runtime}` }),
    ...(declared !== undefined &&
      declared > hostNodeMajor(hostVersion) && { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }),
  };
}

/** A line for the stack's log when the functions declare another Node.js than the one that runs them. */
export function runtimeNotice(runtimes: ReadonlyArray<string | undefined>, hostVersion = process.version): string | undefined {
  const declared = [...new Set(runtimes.filter((runtime) => declaredNodeMajor(runtime) !== undefined))].sort();
  const differing = declared.filter((runtime) => declaredNodeMajor(runtime) !== hostNodeMajor(hostVersion));
  if (differing.length === 0) return undefined;
  return `The functions declare ${differing.join(', ')}; here they run on this machine's Node.js ${hostVersion}.`;
}
