/**
 * Tag keys the library puts on IAM roles for its own checks (not cost allocation tags): the teams set
 * them, the nag pack and the waste audit read them.
 */

/** Tag key that marks a role as (non-)interactive. */
export const INTERACTIVE_TAG_KEY = 'bedrock-governance:interactive';
/** Tag key that gives the task tier of a role. */
export const TASK_TIER_TAG_KEY = 'bedrock-governance:task-tier';
