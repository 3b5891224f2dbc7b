import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import type { ITeamInferenceProfile } from './team-inference-profile';
import { BedrockActions } from '../models/bedrock-actions';
import { iam5ResourceFindingIds } from '../private/nag-ids';

const INVOKE_ACTION = BedrockActions.INVOKE_MODEL;
const INVOKE_STREAM_ACTION = BedrockActions.INVOKE_MODEL_WITH_RESPONSE_STREAM;
const GET_PROFILE_ACTION = BedrockActions.INFERENCE_PROFILE_READ;
const INFERENCE_PROFILE_ARN_KEY = BedrockActions.INFERENCE_PROFILE_ARN_KEY;

/**
 * The statements that let a principal invoke models through the given profiles only: one statement
 * on the profile ARNs, and per profile one statement on the model ARNs its routing reaches,
 * conditioned on `bedrock:InferenceProfileArn` = that profile.
 */
export function invokeStatements(scope: IConstruct, profiles: ITeamInferenceProfile[], streaming: boolean): iam.PolicyStatement[] {
  const invokeActions = streaming ? [INVOKE_ACTION, INVOKE_STREAM_ACTION] : [INVOKE_ACTION];
  const statements = [
    new iam.PolicyStatement({
      actions: [...invokeActions, GET_PROFILE_ACTION],
      resources: profiles.map((p) => p.inferenceProfileArn),
    }),
  ];
  for (const profile of profiles) {
    statements.push(new iam.PolicyStatement({
      actions: invokeActions,
      resources: profile.routing._modelResourceArns(scope, profile.model),
      conditions: { ArnEquals: { [INFERENCE_PROFILE_ARN_KEY]: profile.inferenceProfileArn } },
    }));
  }
  return statements;
}

/** Add the invoke statements to the grantee's principal policy and return one combined grant. */
export function grantInvokeThroughProfiles(
  scope: IConstruct, grantee: iam.IGrantable, profiles: ITeamInferenceProfile[], streaming: boolean,
): iam.Grant {
  const statements = invokeStatements(scope, profiles, streaming);
  let grant: iam.Grant | undefined;
  for (const statement of statements) {
    const json = statement.toStatementJson();
    const next = iam.Grant.addToPrincipal({
      grantee,
      actions: statement.actions,
      resourceArns: statement.resources,
      conditions: json.Condition,
    });
    grant = grant ? grant.combine(next) : next;
  }
  return grant!;
}

/**
 * The AwsSolutions-IAM5 finding ids that the routing's `*` Region causes for these profiles' grants.
 */
export function routingWildcardFindingIds(scope: IConstruct, profiles: ITeamInferenceProfile[]): string[] {
  return iam5ResourceFindingIds(scope, profiles.flatMap((p) => p.routing._modelResourceArns(scope, p.model)));
}

/** Why the `*` Region of a cross-Region or global grant is needed. */
export const ROUTING_WILDCARD_REASON =
  'Cross-Region and global inference profiles send each request to whichever Region has capacity, so the foundation model must be authorized in every Region (and in the empty Region of global routing); the statement applies only when bedrock:InferenceProfileArn is the team\'s own application inference profile.';
