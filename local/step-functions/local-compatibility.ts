/**
 * Features of the Amazon States Language that aws-local-stepfunctions does not run, or runs
 * silently wrong (measured on this toolchain): a definition that uses them would behave one
 * way in AWS and another locally. The local stack refuses such a definition, and a construct
 * test refuses it before it is ever deployed.
 *
 * An explicit `ResultPath: "$"` is among them: aws-local-stepfunctions 3.0 writes the result
 * to a key named "$" instead of replacing the state (leaving ResultPath out means the same in
 * AWS and works locally).
 */
export function unsupportedLocalFeatures(definition: unknown): string[] {
  const problems: string[] = [];
  const visit = (node: unknown, path: string) => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => visit(child, `${path}[${index}]`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const object = node as Record<string, unknown>;
    if (object.QueryLanguage === 'JSONata') problems.push(`${path}: QueryLanguage JSONata`);
    if (object.ResultPath === '$') problems.push(`${path}: ResultPath "$" (leave it out instead)`);
    for (const field of ['Assign', 'Arguments', 'Output', 'ItemReader', 'ResultWriter', 'ItemBatcher']) {
      if (field in object && (field !== 'Output' || 'Type' in object)) problems.push(`${path}: ${field}`);
    }
    for (const [key, child] of Object.entries(object)) visit(child, `${path}.${key}`);
  };
  visit(definition, '$');
  return problems;
}

/** Every Task state of a definition, however deeply nested in Map and Parallel states. */
export function taskStates(definition: { States: Record<string, unknown> }): Array<[string, Record<string, any>]> {
  const found: Array<[string, Record<string, any>]> = [];
  const walk = (states: Record<string, any>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') found.push([name, state]);
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor?.States) walk(processor.States);
      for (const branch of state.Branches ?? []) walk(branch.States);
    }
  };
  walk(definition.States);
  return found;
}

/**
 * The Task states that run in the child executions of a Distributed Map (ItemProcessor with
 * ProcessorConfig.Mode DISTRIBUTED), each with the name of its Map state.
 */
export function distributedMapTasks(definition: { States: Record<string, unknown> }): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (states: Record<string, any>, distributedMap?: string) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task' && distributedMap) found.set(name, distributedMap);
      const processor = state.ItemProcessor ?? state.Iterator;
      const distributed = processor?.ProcessorConfig?.Mode === 'DISTRIBUTED' ? name : distributedMap;
      if (processor?.States) walk(processor.States, distributed);
      for (const branch of state.Branches ?? []) walk(branch.States, distributedMap);
    }
  };
  walk(definition.States);
  return found;
}
