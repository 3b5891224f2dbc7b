import { Stack } from 'aws-cdk-lib';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BudgetNotificationType, BudgetThresholdType, TeamBudget } from './team-budget';
import { BedrockActions } from '../models/bedrock-actions';
import { validateEmails, validatePercentThreshold, validatePositiveUsd } from './private/validation';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { isUnresolved } from '../private/validate';

/** Whether a budget action runs by itself or waits for someone to approve it. */
export enum BudgetActionApproval {
  /** AWS Budgets runs the action as soon as the threshold is passed. */
  AUTOMATIC = 'AUTOMATIC',
  /** AWS Budgets notifies the subscribers and waits for someone to run the action in the console or API. */
  MANUAL = 'MANUAL',
}

/** Options of a budget enforcement, as the `BedrockGovernance` facade passes them. */
export interface BudgetEnforcementOptions {
  /**
   * The roles the "team stopped" policy is attached to, e.g. the roles of the team's applications.
   * AWS Budgets attaches it by role name (taken from `role.roleName`).
   *
   * @default - no role
   */
  readonly roles?: iam.IRole[];

  /**
   * The IAM groups the policy is attached to, by name.
   *
   * @default - no group
   */
  readonly groups?: iam.IGroup[];

  /**
   * The IAM users the policy is attached to, by name.
   *
   * @default - no user
   */
  readonly users?: iam.IUser[];

  /**
   * Whether the action runs by itself or waits for approval.
   *
   * @default BudgetActionApproval.AUTOMATIC
   */
  readonly approval?: BudgetActionApproval;

  /**
   * The threshold: a percentage in (0, 1000] of the budget limit, or an amount in USD.
   *
   * @default 100
   */
  readonly threshold?: number;

  /**
   * How `threshold` is expressed.
   *
   * @default BudgetThresholdType.PERCENTAGE
   */
  readonly thresholdType?: BudgetThresholdType;

  /**
   * Actual or forecasted spend.
   *
   * @default BudgetNotificationType.ACTUAL
   */
  readonly notificationType?: BudgetNotificationType;
}

/** Properties of a `BudgetEnforcement`. */
export interface BudgetEnforcementProps extends BudgetEnforcementOptions {
  /** The team budget whose threshold triggers the action. */
  readonly budget: TeamBudget;

  /**
   * The topic told when the action runs (or awaits approval).
   *
   * @default - the budget's topic, when neither topic nor emails is given
   */
  readonly topic?: sns.ITopic;

  /**
   * Email addresses told when the action runs (or awaits approval), at most 10.
   *
   * @default - the budget's emails, when neither topic nor emails is given
   */
  readonly emails?: string[];
}

/** Limit of roles, groups and users in one IAM action definition. */
const MAX_TARGETS = 100;

/**
 * Stops a team when its budget is spent: an AWS Budgets action (`APPLY_IAM_POLICY`) that attaches a
 * "team stopped" policy to the team's roles (and groups or users) when the budget passes a threshold
 * (default: 100% of the actual spend).
 *
 * The stop policy denies `bedrock:InvokeModel` and `bedrock:InvokeModelWithResponseStream` on the
 * team's application inference profiles, and on any model reached through them, so the roles can no
 * longer call the team's models while other teams are unaffected. The action runs with an execution
 * role trusted by `budgets.amazonaws.com` that may attach and detach exactly this policy
 * (`iam:PolicyARN` condition) on exactly these principals.
 *
 * AWS Budgets acts only when its data refreshes (several times a day), so a team may overspend for
 * hours before it is stopped; pair it with `TeamUsageAlarms` for early warnings. Budgets does not
 * detach the policy by itself at the start of the next month: reset the action (console or
 * `budgets:ExecuteBudgetAction` with `REVERSE_BUDGET_ACTION`) to let the team work again.
 *
 * @resource AWS::Budgets::BudgetsAction
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-controls.html
 */
export class BudgetEnforcement extends Construct {
  /** The "team stopped" deny policy (not attached to anything until the action runs). */
  public readonly stopPolicy: iam.ManagedPolicy;

  /** The role AWS Budgets assumes to attach and detach the stop policy. */
  public readonly executionRole: iam.Role;

  /** The underlying L1 resource. */
  public readonly resource: budgets.CfnBudgetsAction;

  /**
   * The id of the budget action.
   *
   * @attribute
   */
  public readonly actionId: string;

  constructor(scope: Construct, id: string, props: BudgetEnforcementProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const team = props.budget.team;
    const roles = props.roles ?? [];
    const groups = props.groups ?? [];
    const users = props.users ?? [];

    const roleNames = targetNames(this, 'roles', roles.map((r) => [r.roleName, r.roleArn]), 'role',
      (arn) => `Import the role with iam.Role.fromRoleArn(this, 'Id', '${arn}') (its roleName is then '${arn.split('/').pop()}')`);
    const groupNames = targetNames(this, 'groups', groups.map((g) => [g.groupName, g.groupArn]), 'group',
      (arn) => `Import the group with iam.Group.fromGroupArn(this, 'Id', '${arn}')`);
    const userNames = targetNames(this, 'users', users.map((u) => [u.userName, u.userArn]), 'user',
      (arn) => `Import the user with iam.User.fromUserArn(this, 'Id', '${arn}')`);
    if (roleNames.length + groupNames.length + userNames.length === 0) {
      throw new GovernanceValidationError(this,
        `no principal to stop: pass the roles (or groups or users) that invoke team '${team.teamName}' models, e.g. roles: [apiRole]`);
    }

    const thresholdType = props.thresholdType ?? BudgetThresholdType.PERCENTAGE;
    const threshold = props.threshold ?? 100;
    if (thresholdType === BudgetThresholdType.PERCENTAGE) {
      validatePercentThreshold(this, 'threshold', threshold);
    } else {
      validatePositiveUsd(this, 'threshold', threshold, 'Pass the amount in USD, e.g. 5000');
    }

    const useBudgetSubscribers = props.topic === undefined && props.emails === undefined;
    const topic = useBudgetSubscribers ? props.budget.topic : props.topic;
    const emails = useBudgetSubscribers ? props.budget.emails : (props.emails ?? []);
    validateEmails(this, 'emails', emails);
    if (!topic && emails.length === 0) {
      throw new GovernanceValidationError(this, 'a budget action needs at least one subscriber. Pass topic or emails');
    }

    const profileArns = team.profiles.map((p) => p.inferenceProfileArn);
    const invokeActions = [BedrockActions.INVOKE_MODEL, BedrockActions.INVOKE_MODEL_WITH_RESPONSE_STREAM];
    this.stopPolicy = new iam.ManagedPolicy(this, 'StopPolicy', {
      description: `Team ${team.teamName} stopped: denies invoking Bedrock through its application inference profiles (attached by an AWS Budgets action)`,
      statements: [
        new iam.PolicyStatement({
          sid: 'DenyTheTeamProfiles',
          effect: iam.Effect.DENY,
          actions: invokeActions,
          resources: profileArns,
        }),
        new iam.PolicyStatement({
          sid: 'DenyModelsThroughTheTeamProfiles',
          effect: iam.Effect.DENY,
          actions: invokeActions,
          resources: [
            `arn:${stack.partition}:bedrock:*::foundation-model/*`,
            `arn:${stack.partition}:bedrock:*:*:inference-profile/*`,
          ],
          conditions: { ArnEquals: { [BedrockActions.INFERENCE_PROFILE_ARN_KEY]: profileArns } },
        }),
      ],
    });

    const policyCondition = { ArnEquals: { 'iam:PolicyARN': this.stopPolicy.managedPolicyArn } };
    const statements: iam.PolicyStatement[] = [];
    if (roles.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'AttachTheStopPolicyToTheRoles',
        actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy'],
        resources: roles.map((r) => r.roleArn),
        conditions: policyCondition,
      }));
    }
    if (groups.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'AttachTheStopPolicyToTheGroups',
        actions: ['iam:AttachGroupPolicy', 'iam:DetachGroupPolicy'],
        resources: groups.map((g) => g.groupArn),
        conditions: policyCondition,
      }));
    }
    if (users.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'AttachTheStopPolicyToTheUsers',
        actions: ['iam:AttachUserPolicy', 'iam:DetachUserPolicy'],
        resources: users.map((u) => u.userArn),
        conditions: policyCondition,
      }));
    }
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      description: `AWS Budgets attaches and detaches the stop policy of team ${team.teamName}, and nothing else`,
      assumedBy: new iam.ServicePrincipal('budgets.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:budgets::${stack.account}:*` },
        },
      }),
      inlinePolicies: { AttachTheStopPolicyOnly: new iam.PolicyDocument({ statements }) },
    });

    this.resource = new budgets.CfnBudgetsAction(this, 'Resource', {
      budgetName: props.budget.budgetName,
      actionType: 'APPLY_IAM_POLICY',
      notificationType: props.notificationType ?? BudgetNotificationType.ACTUAL,
      actionThreshold: { type: thresholdType, value: threshold },
      approvalModel: props.approval ?? BudgetActionApproval.AUTOMATIC,
      executionRoleArn: this.executionRole.roleArn,
      definition: {
        iamActionDefinition: {
          policyArn: this.stopPolicy.managedPolicyArn,
          roles: roleNames.length > 0 ? roleNames : undefined,
          groups: groupNames.length > 0 ? groupNames : undefined,
          users: userNames.length > 0 ? userNames : undefined,
        },
      },
      subscribers: [
        ...(topic ? [{ type: 'SNS', address: topic.topicArn }] : []),
        ...emails.map((address) => ({ type: 'EMAIL', address })),
      ],
    });
    this.actionId = this.resource.attrActionId;
  }
}

/**
 * Check the principals the policy is attached to and return their names: at most 100, none listed
 * twice, and none given by ARN where a name is needed (AWS Budgets wants names). An ARN passed as a
 * name shows either in the name itself or, after CDK's `fromXxxName()`, nested inside the ARN
 * (`...:role/arn:aws:iam::...`): both are rejected with the import to use instead.
 */
function targetNames(scope: Construct, prop: string, principals: Array<[string, string]>, kind: string, fix: (arn: string) => string): string[] {
  if (principals.length > MAX_TARGETS) {
    throw invalidProp(scope, prop, principals.length, `a budget action attaches its policy to at most ${MAX_TARGETS} ${kind}s`, `Split the ${kind}s across several BudgetEnforcement constructs`);
  }
  const seen = new Map<string, number>();
  return principals.map(([name, arn], index) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw invalidProp(scope, `${prop}[${index}]`, isUnresolved(name) ? `(the ${kind} of ${prop}[${first}])` : name,
        `the ${kind} is already ${prop}[${first}]`, `List each ${kind} once`);
    }
    seen.set(name, index);
    const nested = arn.indexOf(`:${kind}/arn:`);
    const given = nested >= 0 ? arn.slice(nested + kind.length + 2) : (!isUnresolved(name) && name.includes(':') ? name : undefined);
    if (given !== undefined) {
      throw invalidProp(scope, `${prop}[${index}].${kind}Name`, given,
        `AWS Budgets actions attach the policy to ${kind}s by name, and this is an ARN`, fix(given));
    }
    return name;
  });
}
