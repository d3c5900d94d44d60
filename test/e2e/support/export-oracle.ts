import { generateProfiles } from '../../../bin/support/profile-generator';

/**
 * What an export must contain, computed here from the generated data with a separate
 * implementation of the contract's rules (not the engine's code), so the two check each other.
 */
export interface OracleRequest {
  readonly fields?: string;
  readonly filter?: {
    readonly segments?: ReadonlyArray<{ segmentId: string; segmentNs?: string; status?: string[] }>;
    readonly segmentQualificationTime?: { startTime?: string; endTime?: string };
    readonly fromIngestTimestamp?: string;
    readonly emptyProfiles?: boolean;
  };
  readonly additionalFields?: {
    eventList?: { fields?: string; filter: { fromIngestTimestamp?: string; toIngestTimestamp?: string } };
  };
  readonly destination?: { readonly segmentPerBatch?: boolean };
}

export interface OracleBatch {
  /** Index of the segment of the batch; undefined for the single batch. */
  readonly segmentIndex?: number;
  readonly lines: string[];
  readonly namespaces: Record<string, number>;
}

const ms = (text?: string) => (text === undefined ? undefined : new Date(text).getTime());

/** A merge policy's rule, as the contract states it. */
export type OracleMerge = { type: 'timestampOrdered' } | { type: 'dataSetPrecedence'; order: string[] };

type Fragment = { datasetId: string; updateTime: number; attributes: Readonly<Record<string, unknown>> };
type Leaf = { path: string[]; value: unknown };

/**
 * The contract's merge, written apart from the engine's: each fragment is flattened into its
 * attributes (leaves; a segment membership `segmentMembership.<ns>.<id>` is one), the fragments
 * are ranked (timestampOrdered: newest first; dataSetPrecedence: the listed datasets in order,
 * then the others newest first; ties to the smaller dataset id), and each attribute path takes
 * the value of the first ranked fragment that has it. Identities are the union, in rank order.
 */
export function oracleMerge(fragments: readonly Fragment[], merge: OracleMerge): Record<string, unknown> {
  const order = merge.type === 'dataSetPrecedence' ? merge.order : [];
  const position = (fragment: Fragment) =>
    order.includes(fragment.datasetId) ? order.indexOf(fragment.datasetId) : order.length;
  const ranked = [...fragments].sort((a, b) => {
    if (position(a) !== position(b)) return position(a) - position(b);
    if (a.updateTime !== b.updateTime) return b.updateTime - a.updateTime;
    return a.datasetId < b.datasetId ? -1 : a.datasetId > b.datasetId ? 1 : 0;
  });
  const chosen = new Map<string, Leaf>();
  const identities: Array<Record<string, unknown>> = [];
  for (const fragment of ranked) {
    for (const leaf of leaves(fragment.attributes, [])) {
      if (leaf.path[0] === 'identities') {
        for (const identity of leaf.value as Array<Record<string, unknown>>) {
          if (!identities.some((known) => known.id === identity.id && known.namespace === identity.namespace))
            identities.push(identity);
        }
        continue;
      }
      const key = leaf.path.join('\u0000');
      if (!chosen.has(key)) chosen.set(key, leaf);
    }
  }
  const merged: Record<string, unknown> = { identities };
  for (const { path, value } of chosen.values()) {
    let into = merged;
    for (const name of path.slice(0, -1)) into = (into[name] ??= {}) as Record<string, unknown>;
    into[path[path.length - 1]] = value;
  }
  return merged;
}

/** The attributes of a fragment: its non-null leaves, memberships whole, identities as one. */
function leaves(value: Readonly<Record<string, unknown>>, path: string[]): Leaf[] {
  return Object.entries(value).flatMap(([name, child]) => {
    const at = [...path, name];
    const isMembership = at[0] === 'segmentMembership' && at.length === 3;
    if (child === null || child === undefined) return [];
    if (typeof child === 'object' && !Array.isArray(child) && !isMembership)
      return leaves(child as Record<string, unknown>, at);
    return [{ path: at, value: child }];
  });
}

function segmentMatches(
  profile: Record<string, unknown>,
  segment: { segmentId: string; segmentNs?: string; status?: string[] },
  window: { startTime?: string; endTime?: string } | undefined,
): boolean {
  const statuses = segment.status ?? ['realized'];
  const memberships = (profile.segmentMembership ?? {}) as Record<
    string,
    Record<string, { status: string; lastQualificationTime: string }>
  >;
  return Object.keys(memberships).some((namespace) => {
    if (segment.segmentNs && segment.segmentNs !== namespace) return false;
    const membership = memberships[namespace][segment.segmentId];
    if (!membership || !statuses.includes(membership.status)) return false;
    const at = new Date(membership.lastQualificationTime).getTime();
    const start = ms(window?.startTime);
    const end = ms(window?.endTime);
    return (start === undefined || at >= start) && (end === undefined || at <= end);
  });
}

/** Picks one dot path out of a value, keeping structure; arrays are walked element by element. */
function pickPath(value: unknown, path: string[]): unknown {
  if (path.length === 0) return value;
  if (Array.isArray(value)) {
    const picked = value.map((item) => pickPath(item, path)).filter((item) => item !== undefined);
    return picked.length ? picked : undefined;
  }
  if (!value || typeof value !== 'object' || !(path[0] in (value as object))) return undefined;
  const inner = pickPath((value as Record<string, unknown>)[path[0]], path.slice(1));
  return inner === undefined ? undefined : { [path[0]]: inner };
}

function merge(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (Array.isArray(a) && Array.isArray(b)) return a.map((item, index) => merge(item, b[index]));
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const result: Record<string, unknown> = { ...(a as object) };
    for (const [key, value] of Object.entries(b as object)) result[key] = merge(result[key], value);
    return result;
  }
  return b;
}

function project(document: Record<string, unknown>, fields?: string): Record<string, unknown> {
  const paths = (fields ?? '')
    .split(',')
    .map((path) => path.trim())
    .filter(Boolean);
  if (paths.length === 0) return document;
  return (paths.reduce<unknown>((result, path) => merge(result, pickPath(document, path.split('.'))), undefined) ??
    {}) as Record<string, unknown>;
}

/** The batches an export of the generated data must hold, its profiles merged by `merge` (default timestampOrdered). */
export function expectedExport(
  request: OracleRequest,
  // events: as seeded (default true); the memberships of segments defined over events derive from them.
  generation: { profiles: number; seed: number; events?: boolean },
  merge: OracleMerge = { type: 'timestampOrdered' },
): OracleBatch[] {
  const filter = request.filter ?? {};
  const segments = filter.segments ?? [];
  const perSegment = request.destination?.segmentPerBatch === true;
  const batches: OracleBatch[] = perSegment
    ? segments.map((_, segmentIndex) => ({ segmentIndex, lines: [], namespaces: {} }))
    : [{ lines: [], namespaces: {} }];
  const from = ms(filter.fromIngestTimestamp);
  const eventList = request.additionalFields?.eventList;

  for (const data of generateProfiles({ ...generation, events: generation.events ?? true })) {
    if (!data.profile.hasProfileRecord && !filter.emptyProfiles) continue;
    if (from !== undefined && !(data.profile.mergedUpdateTime > from)) continue;
    const profile = oracleMerge(data.profile.fragments, merge);
    const matching = segments.map((segment) => segmentMatches(profile, segment, filter.segmentQualificationTime));
    if (segments.length > 0 && !matching.some(Boolean)) continue;

    const record: Record<string, unknown> = {
      ...project(profile, request.fields),
    };
    if (eventList) {
      const after = ms(eventList.filter.fromIngestTimestamp) ?? -Infinity;
      const before = ms(eventList.filter.toIngestTimestamp) ?? Infinity;
      record.eventList = data.events
        .filter((event) => event.ingestTime > after && event.ingestTime < before)
        .sort((a, b) => a.ingestTime - b.ingestTime || a.eventId.localeCompare(b.eventId))
        .map((event) => project(event.event, eventList.fields));
    }
    const line = JSON.stringify(record);
    const namespaces = [
      ...new Set((profile.identities as Array<{ namespace: string }>).map((identity) => identity.namespace)),
    ];
    for (const batch of batches) {
      if (batch.segmentIndex !== undefined && !matching[batch.segmentIndex]) continue;
      batch.lines.push(line);
      for (const namespace of namespaces) batch.namespaces[namespace] = (batch.namespaces[namespace] ?? 0) + 1;
    }
  }
  return batches;
}
