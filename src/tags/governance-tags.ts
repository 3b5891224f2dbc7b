/**
 * Tag keys the library puts on IAM roles for its own checks (not cost allocation tags): the teams set
 * them, the nag pack and the waste audit read them.
 */

/** Tag key that marks a role as (non-)interactive. */
export const INTERACTIVE_TAG_KEY = 'bedrock-governance:interactive';
/** Tag key that gives the task tier of a role. */
export const TASK_TIER_TAG_KEY = 'bedrock-governance:task-tier';
/**
 * Tag key that exempts a principal from the direct-invocation guard's batch-inference deny (value `true`).
 * Set by the library on roles granted batch inference; guarded principals cannot set or remove it.
 */
export const BATCH_INFERENCE_TAG_KEY = 'bedrock-governance:batch-inference';
/**
 * IAM path of the library's managed policies (the guard, its boundary, the teams' invoke policies): the
 * guard denies guarded principals detaching or changing policies under it.
 */
export const GOVERNANCE_POLICY_PATH = '/bedrock-governance/';
