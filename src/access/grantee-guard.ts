import { Annotations, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { DirectInvocationGuard } from './direct-invocation-guard';
import { resolveCostTagKeys } from '../tags/cost-tag-keys';
import { CostTagKeys, CostTags } from '../tags/cost-tags';
import { Team } from '../teams/team';

/** Who a grantee is, for the guard: what can be attached to it and whether it can be tagged. */
enum GranteeKind {
  ROLE = 'role',
  IMPORTED_ROLE = 'imported role',
  IMMUTABLE_ROLE = 'immutable role',
  USER = 'user',
  IMPORTED_USER = 'imported user',
  GROUP = 'group',
  OTHER = 'other',
}

/** The team (by name) whose cost tags each principal was given, across the whole app. */
const TAGGED_FOR = new WeakMap<IConstruct, string>();

/** Options of `guardGrantee()`. */
export interface GuardGranteeOptions {
  /** The construct that granted access (warnings are attached to it). */
  readonly scope: IConstruct;
  /** The granting team's cost tags: they become the principal's tags. */
  readonly costTags: CostTags;
  /** The cost tag key names. */
  readonly costTagKeys?: CostTagKeys;
  /** Attach the guard (the facade's `attachGuardToGrantees`). */
  readonly attachGuard: boolean;
}

/**
 * The one place a grantee of a team's profiles is guarded and tagged: the guard's managed policy is
 * attached to it (role, user or group, unless exempt or already attached) and it gets the team's cost tags
 * as principal tags (roles and users created in the app), so `aws:PrincipalTag/<team key>` works for the
 * guard's `requireTeamMatch` and the principal's spend is attributed to the team in billing (IAM principal
 * cost attribution). A synth warning names every grantee that cannot be guarded or tagged.
 * Used by the facade for `team.grantInvoke()` and for `grantInvoke()` of each team profile.
 */
export function guardGrantee(guard: DirectInvocationGuard, grantee: iam.IGrantable, options: GuardGranteeOptions): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  const kind = granteeKind(principal);
  const name = Construct.isConstruct(principal) ? principal.node.path : `${grantee.grantPrincipal}`;
  if (options.attachGuard) {
    attach(guard, principal, kind, name, options.scope);
  }
  tagPrincipal(principal, kind, name, options);
}

function attach(guard: DirectInvocationGuard, principal: IConstruct, kind: GranteeKind, name: string, scope: IConstruct): void {
  switch (kind) {
    case GranteeKind.ROLE:
    case GranteeKind.IMPORTED_ROLE:
      if (!guard.isExempt(principal as iam.IRole) && !guard.isAttachedTo(principal)) {
        guard.attachTo(principal as iam.IRole);
      }
      return;
    case GranteeKind.USER:
    case GranteeKind.IMPORTED_USER:
      if (!guard.isAttachedTo(principal)) {
        guard.attachToUser(principal as unknown as iam.IUser);
      }
      return;
    case GranteeKind.GROUP:
      if (!guard.isAttachedTo(principal)) {
        guard.attachToGroup(principal as unknown as iam.IGroup);
      }
      return;
    case GranteeKind.IMMUTABLE_ROLE:
      Annotations.of(scope).addWarningV2('cdk-bedrock-governance:granteeNotGuarded',
        `The grantee ${name} is an immutable imported role, so the direct-invocation guard cannot be attached to it: attach ${guard.node.path}'s policy yourself, use the guard as its permissions boundary, or apply the guard as a service control policy`);
      return;
    default:
      Annotations.of(scope).addWarningV2('cdk-bedrock-governance:granteeNotGuarded',
        `The grantee ${name} is not an IAM role, user or group, so the direct-invocation guard cannot be attached to it: grant a role instead, or apply the guard as a service control policy`);
  }
}

function tagPrincipal(principal: IConstruct, kind: GranteeKind, name: string, options: GuardGranteeOptions): void {
  const team = options.costTags.team;
  if (kind === GranteeKind.ROLE || kind === GranteeKind.USER) {
    const previous = TAGGED_FOR.get(principal);
    if (previous !== undefined) {
      if (previous !== team) {
        Annotations.of(options.scope).addWarningV2('cdk-bedrock-governance:granteeOfTwoTeams',
          `The grantee ${name} is granted by teams '${previous}' and '${team}'; it keeps the principal tags of '${previous}', so its spend is attributed to '${previous}' and, with requireTeamMatch, it can use only that team's profiles. Give each team its own role`);
      }
      return;
    }
    TAGGED_FOR.set(principal, team);
    const keys = resolveCostTagKeys(options.costTagKeys);
    Tags.of(principal).add(keys.team, team);
    Tags.of(principal).add(keys.costCenter, options.costTags.costCenter);
    Tags.of(principal).add(keys.environment, options.costTags.environment);
    return;
  }
  if (kind === GranteeKind.OTHER || kind === GranteeKind.IMMUTABLE_ROLE) {
    return; // already warned: not guarded
  }
  Annotations.of(options.scope).addWarningV2('cdk-bedrock-governance:granteeNotTagged',
    `The grantee ${name} (${kind}) cannot be given team '${team}''s cost tags from here: tag ${kind === GranteeKind.GROUP ? 'each user of the group' : 'it'} with ${resolveCostTagKeys(options.costTagKeys).team}=${team} (and the other cost tags) so that principal cost attribution and requireTeamMatch work`);
}

function granteeKind(x: unknown): GranteeKind {
  if (!(typeof x === 'object' && x !== null && Construct.isConstruct(x))) {
    return GranteeKind.OTHER;
  }
  if (x instanceof iam.Role) {
    return GranteeKind.ROLE;
  }
  if (x instanceof iam.User) {
    return GranteeKind.USER;
  }
  if ((x.constructor as any).PROPERTY_INJECTION_ID === 'aws-cdk-lib.aws-iam.ImmutableRole') {
    return GranteeKind.IMMUTABLE_ROLE;
  }
  if ('roleArn' in x && 'roleName' in x && 'addManagedPolicy' in x) {
    return GranteeKind.IMPORTED_ROLE;
  }
  if ('userArn' in x && 'userName' in x) {
    return GranteeKind.IMPORTED_USER;
  }
  if ('groupArn' in x && 'groupName' in x) {
    return GranteeKind.GROUP;
  }
  return GranteeKind.OTHER;
}

/** Exempt a team's batch grantee from the guard's batch deny (only a role can be exempted: others get a warning). */
export function exemptFromBatchDeny(guard: DirectInvocationGuard, team: Team, grantee: iam.IGrantable): void {
  const principal = grantee.grantPrincipal as unknown as IConstruct;
  const kind = granteeKind(principal);
  if (kind === GranteeKind.ROLE || kind === GranteeKind.IMPORTED_ROLE) {
    guard.exemptFromBatchDeny(principal as iam.IRole);
  } else {
    Annotations.of(team).addWarningV2('cdk-bedrock-governance:batchGranteeNotExempt',
      `The batch grantee of team '${team.teamName}' is not an IAM role, so the guard's batch deny cannot exempt it; grant batch inference to a role`);
  }
}
