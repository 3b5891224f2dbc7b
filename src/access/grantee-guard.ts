import { Annotations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { DirectInvocationGuard } from './direct-invocation-guard';
import { Team } from '../teams/team';

/** Attach the guard to a grantee of a team's profiles, unless it is not a role, is exempt, or already has it. */
export function attachGuardToGrantee(guard: DirectInvocationGuard, grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  if (!isRole(principal) || guard.isExempt(principal) || guard.isAttachedTo(principal)) {
    return;
  }
  guard.attachTo(principal);
}

/** Exempt a team's batch grantee from the guard's batch deny (only a role can be exempted: others get a warning). */
export function exemptFromBatchDeny(guard: DirectInvocationGuard, team: Team, grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  if (isRole(principal)) {
    guard.exemptFromBatchDeny(principal);
  } else {
    Annotations.of(team).addWarningV2('cdk-bedrock-governance:batchGranteeNotExempt',
      `The batch grantee of team '${team.teamName}' is not an IAM role, so the guard's batch deny cannot exempt it; grant batch inference to a role`);
  }
}

/** An IAM role construct (created in the app or imported). */
function isRole(x: unknown): x is iam.IRole {
  return typeof x === 'object' && x !== null && Construct.isConstruct(x)
    && 'roleArn' in x && 'roleName' in x && 'addManagedPolicy' in x;
}
