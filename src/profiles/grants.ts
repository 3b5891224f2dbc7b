import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct, IDependable } from 'constructs';
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
 * The grant of statements that reach the grantee through a managed policy attached to it (not added to
 * its own policy): successful, for the given grantee, with those statements as its principal statements.
 * `applyBefore()` makes a construct depend on `attachment`, the resource that holds the attachment (the
 * role, user or group, whose `ManagedPolicyArns` names the policy): CloudFormation creates or updates that
 * resource only after the policy it names, so whatever depends on it sees the permissions in place.
 */
export function attachedPolicyGrant(grantee: iam.IGrantable, statements: iam.PolicyStatement[], attachment: IDependable): iam.Grant {
  const holder: iam.IGrantable = { grantPrincipal: new AttachedPolicyPrincipal(grantee.grantPrincipal, attachment) };
  // drop() carries the real grantee; each combined grant adds its statement and the attachment as dependable
  let grant = iam.Grant.drop(grantee, 'invoke through the team\'s profiles (attached managed policy)');
  for (const statement of statements) {
    const json = statement.toStatementJson();
    grant = grant.combine(iam.Grant.addToPrincipal({
      grantee: holder,
      actions: statement.actions,
      resourceArns: statement.resources,
      conditions: json.Condition,
    }));
  }
  return grant;
}

/**
 * A principal whose "added" statements are already in a managed policy attached to it: it adds nothing,
 * and names the attachment as the dependable of the statement.
 */
class AttachedPolicyPrincipal implements iam.IPrincipal {
  public readonly grantPrincipal: iam.IPrincipal = this;

  constructor(private readonly principal: iam.IPrincipal, private readonly attachment: IDependable) {}

  public get assumeRoleAction(): string {
    return this.principal.assumeRoleAction;
  }

  public get policyFragment(): iam.PrincipalPolicyFragment {
    return this.principal.policyFragment;
  }

  public get principalAccount(): string | undefined {
    return this.principal.principalAccount;
  }

  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.addToPrincipalPolicy(statement).statementAdded;
  }

  public addToPrincipalPolicy(_statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    return { statementAdded: true, policyDependable: this.attachment };
  }
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
