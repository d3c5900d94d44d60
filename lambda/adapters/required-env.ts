/** Reads a variable the construct always sets; its absence is a deployment error. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value)
    throw new Error(
      `Environment variable ${name} is not set; deploy the function with the ExportJobsService construct.`,
    );
  return value;
}
