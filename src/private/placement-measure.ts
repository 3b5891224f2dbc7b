import { CfnResource } from 'aws-cdk-lib';

/** Resources placement measures with some properties as an earlier version wrote them. */
const MEASURED_PROPERTIES = new WeakMap<CfnResource, () => Record<string, unknown>>();

/**
 * Make team placement (src/scale) measure a resource's template bytes with these CloudFormation properties
 * (`Description`, `Value`...; tokens allowed) in place of its own: for a resource written smaller than an earlier
 * version of the library wrote it. Placement sizes the next teams from the bytes it measured; measuring the
 * earlier size keeps every team of a deployed sharded app in its nested stack (a team that moved would have its
 * resources replaced: new profile ARNs), as the dashboard byte estimates of src/scale/team-placement.ts are kept.
 * `properties` is called only when placement renders the resource (once per team shape).
 */
export function measureWithProperties(resource: CfnResource, properties: () => Record<string, unknown>): void {
  MEASURED_PROPERTIES.set(resource, properties);
}

/** The properties placement measures a resource with in place of its own, if any. */
export function measuredProperties(resource: CfnResource): Record<string, unknown> | undefined {
  return MEASURED_PROPERTIES.get(resource)?.();
}

/**
 * Bytes team placement (`src/scale/`) adds to a resource's rendering when it measures a team: what a lighter
 * rendering of the resource saves against the one placement used to measure (a team-wide alarm's short metric
 * ids), so that a lighter template moves no team of a deployed sharded app into another stack. Placement's
 * estimates are kept for the same reason (docs/SCALE.md).
 */
const heavierBy = new WeakMap<CfnResource, number>();

/** Placement counts `resource` as `bytes` heavier than it renders (the weight of its former rendering). */
export function measureHeavier(resource: CfnResource, bytes: number): void {
  heavierBy.set(resource, bytes);
}

/** The bytes placement adds to the rendering of `resource` (0 for most). */
export function placementExtraBytes(resource: CfnResource): number {
  return heavierBy.get(resource) ?? 0;
}

/** Statements placement adds to a policy-holding resource's statement count (see `measureExtraStatements`). */
const extraStatements = new WeakMap<CfnResource, number>();

/**
 * Placement counts `resource`'s policy document (which it estimates from its statement count, never rendering it)
 * as `statements` statements larger: the statements an earlier version wrote and this one joins (the guard's
 * copy in a team's invokePolicy).
 */
export function measureExtraStatements(resource: CfnResource, statements: number): void {
  extraStatements.set(resource, (extraStatements.get(resource) ?? 0) + statements);
}

/** The statements placement adds to the count of `resource`'s policy document (0 for most). */
export function placementExtraStatements(resource: CfnResource): number {
  return extraStatements.get(resource) ?? 0;
}
