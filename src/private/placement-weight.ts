import { CfnResource } from 'aws-cdk-lib';

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
