import { Stack } from 'aws-cdk-lib';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct } from 'constructs';
import { MemberStackSet } from './member-stack-set';
import { DirectInvocationGuard, DirectInvocationGuardProps } from '../access/direct-invocation-guard';
import { AttributionQueries, AttributionQueriesOptions } from '../billing/attribution-queries';
import { ChargebackQueries, ChargebackQueriesOptions } from '../billing/chargeback-queries';
import { CostAllocationTagActivation } from '../billing/cost-allocation-tag-activation';
import { Cur2Export, Cur2ExportProps } from '../billing/cur2-export';
import { FocusExport, FocusExportProps } from '../billing/focus-export';
import { FocusVersion } from '../billing/focus-version';
import { AnomalyMonitorScope, AnomalySubscriptionOptions, CostAnomalyDetection } from '../budgets/cost-anomaly-detection';
import { CostTagKeyForm } from '../budgets/tag-key-form';
import { TeamBudget, TeamBudgetOptions } from '../budgets/team-budget';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { CostTagKeys } from '../tags/cost-tags';
import { Team } from '../teams/team';

/** Properties of an `OrganizationManagement`. */
export interface OrganizationManagementProps {
  /**
   * The organizational units (`ou-…`), root (`r-…`) or accounts the guard's service control policy is attached
   * to: those of the member accounts. An SCP never applies to the management account itself.
   */
  readonly guardTargetIds: string[];

  /**
   * The guard's settings (its deny toggles and exempt roles). Exempt roles of member accounts are named by ARN
   * (`iam.Role.fromRoleArn`), since they live in other accounts.
   *
   * @default - the guard's defaults
   */
  readonly guard?: DirectInvocationGuardProps;

  /**
   * Name of the service control policy.
   *
   * @default 'bedrock-direct-invocation-guard'
   */
  readonly guardPolicyName?: string;

  /**
   * The cost tag key names used by every member account's teams.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * The organization-wide FOCUS export. Made in the management account, it covers every linked account.
   *
   * @default - a FOCUS 1.2 export with `FocusExport`'s defaults
   */
  readonly focusExport?: FocusExportProps;

  /**
   * The organization-wide CUR 2.0 export with IAM principal data (the second witness of attribution).
   *
   * @default - a CUR 2.0 export with `Cur2Export`'s defaults
   */
  readonly cur2Export?: Cur2ExportProps;

  /**
   * Activate the cost tag keys (and their `iamPrincipal/` forms) as cost allocation tags. AWS gives the cost
   * allocation tag manager to the management account of an organization only, so this is where it belongs.
   *
   * @default true
   * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/custom-tags.html
   */
  readonly activateCostAllocationTags?: boolean;

  /**
   * Tag keys to activate besides the cost tag keys, e.g. the keys of the teams' `extraTags`.
   *
   * @default - none
   */
  readonly additionalTagKeys?: string[];

  /**
   * Athena chargeback queries over the organization's FOCUS export.
   *
   * @default - none
   */
  readonly chargeback?: ChargebackQueriesOptions;

  /**
   * Athena attribution queries over the organization's CUR 2.0 export.
   *
   * @default - none
   */
  readonly attribution?: AttributionQueriesOptions;

  /**
   * Email addresses alerted (daily) by a Cost Anomaly Detection monitor of AWS services made in the management
   * account, which sees the spend of every linked account.
   *
   * @default - no anomaly monitor
   */
  readonly anomalyEmails?: string[];

  /**
   * The total impact, in USD, above which an anomaly is reported to `anomalyEmails`.
   *
   * @default 100
   */
  readonly anomalyThresholdUsd?: number;
}

/** Options of `OrganizationManagement.addTeamBudget()`. */
export interface OrganizationTeamBudgetOptions extends TeamBudgetOptions {
  /** Email addresses AWS Budgets notifies (at most 10). */
  readonly emails: string[];

  /**
   * The StackSet that deploys the team (its `memberStack` must hold the team). When every deployment of the
   * StackSet names its `accounts`, the budget counts only those linked accounts (`LINKED_ACCOUNT`, besides the
   * tag). When a deployment targets whole organizational units, the accounts are not known at synthesis (any
   * account that joins the OU gets the team), so the tag filter alone is used. `linkedAccounts`, when given,
   * wins.
   *
   * @default - no account filter: the tag filter alone, over every linked account
   */
  readonly memberStackSet?: MemberStackSet;
}

/** Options of `OrganizationManagement.addTeamAnomalyMonitor()`. */
export interface OrganizationTeamAnomalyOptions extends AnomalySubscriptionOptions {
  /**
   * How the team tag key is spelled in the monitor specification (UNVERIFIED, see `CostTagKeyForm`).
   *
   * @default CostTagKeyForm.BARE
   */
  readonly tagKeyForm?: CostTagKeyForm;
}

/**
 * The management-account part of Bedrock governance across an organization: the direct-invocation guard as a
 * service control policy attached to the member accounts' organizational units, the organization-wide FOCUS 1.2
 * and CUR 2.0 exports, the activation of the cost allocation tags, and optionally chargeback and attribution
 * queries and an anomaly monitor. Deploy it to the management account (in us-east-1, where Data Exports is
 * native) before the member StackSet.
 */
export class OrganizationManagement extends Construct {
  /** The guard (its managed policy is created but attached to nothing here; the SCP is what applies). */
  public readonly guard: DirectInvocationGuard;

  /** The guard as a service control policy. */
  public readonly guardPolicy: organizations.CfnPolicy;

  /** The FOCUS export. */
  public readonly focusExport: FocusExport;

  /** The CUR 2.0 export. */
  public readonly cur2Export: Cur2Export;

  /**
   * The cost allocation tag activation.
   *
   * @default - undefined when `activateCostAllocationTags` is false
   */
  public readonly costAllocationTags?: CostAllocationTagActivation;

  /**
   * The chargeback queries.
   *
   * @default - undefined unless `chargeback` was given
   */
  public readonly chargeback?: ChargebackQueries;

  /**
   * The attribution queries.
   *
   * @default - undefined unless `attribution` was given
   */
  public readonly attribution?: AttributionQueries;

  /**
   * The organization-wide anomaly detection.
   *
   * @default - undefined unless `anomalyEmails` was given
   */
  public readonly anomalyDetection?: CostAnomalyDetection;

  private readonly budgets = new Map<string, TeamBudget>();
  private readonly teamMonitors = new Map<string, CostAnomalyDetection>();

  constructor(scope: Construct, id: string, props: OrganizationManagementProps) {
    super(scope, id);
    if (props.anomalyThresholdUsd !== undefined && props.anomalyEmails === undefined) {
      throw invalidProp(this, 'anomalyThresholdUsd', props.anomalyThresholdUsd, 'there is no anomaly monitor to apply it to', 'Set anomalyEmails too');
    }
    const costTagKeys = props.costTagKeys ?? {};
    this.guard = new DirectInvocationGuard(this, 'Guard', props.guard);
    this.guardPolicy = this.guard.toServiceControlPolicy(this, 'GuardPolicy', {
      targetIds: props.guardTargetIds,
      policyName: props.guardPolicyName,
    });
    this.focusExport = new FocusExport(this, 'FocusExport', { version: FocusVersion.V1_2, ...props.focusExport });
    this.cur2Export = new Cur2Export(this, 'Cur2Export', props.cur2Export);
    if (props.activateCostAllocationTags ?? true) {
      this.costAllocationTags = new CostAllocationTagActivation(this, 'CostAllocationTags', {
        costTagKeys, principalTagKeys: true, additionalTagKeys: props.additionalTagKeys,
      });
    }
    if (props.chargeback) {
      this.chargeback = new ChargebackQueries(this, 'Chargeback', { ...props.chargeback, focusExport: this.focusExport, costTagKeys });
    }
    if (props.attribution) {
      this.attribution = new AttributionQueries(this, 'Attribution', { ...props.attribution, cur2Export: this.cur2Export, costTagKeys });
    }
    if (props.anomalyEmails) {
      this.anomalyDetection = new CostAnomalyDetection(this, 'Anomalies', {
        monitor: AnomalyMonitorScope.awsServices(),
        emails: props.anomalyEmails,
        thresholdUsd: props.anomalyThresholdUsd ?? 100,
      });
    }
  }

  /**
   * A monthly budget in the management account over the spend that carries a team's tag, in every linked account
   * (that a management-account budget covers the linked accounts' spend is the usual consolidated-billing
   * behaviour, UNVERIFIED here). Pass the team of a member stack:
   * only its name and cost tag keys are read, so the management stack takes no reference to the member stage.
   * A member account's own budget (the facade's `monthlyBudgetUsd`) sees only that account. With
   * `memberStackSet` (or `linkedAccounts`), the budget also filters on the team's accounts.
   */
  public addTeamBudget(team: Team, options: OrganizationTeamBudgetOptions): TeamBudget {
    const existing = this.budgets.get(team.teamName);
    if (existing) {
      throw new GovernanceValidationError(this,
        `invalid team '${team.teamName}': a budget for a team of that name was already added (${existing.node.path}). Add one budget per team name: it covers the team in every account`);
    }
    const stackSet = options.memberStackSet;
    if (stackSet && !inStack(team, stackSet.memberStack)) {
      throw invalidProp(this, 'memberStackSet', stackSet.node.path,
        `the StackSet deploys ${stackSet.memberStack.node.path}, and team '${team.teamName}' is in ${Stack.of(team).node.path}`,
        'Pass the StackSet whose member stack holds the team');
    }
    const budget = new TeamBudget(this, `Budget-${team.teamName}`, {
      ...options, team, linkedAccounts: options.linkedAccounts ?? (stackSet ? namedAccounts(stackSet) : undefined),
    });
    this.budgets.set(team.teamName, budget);
    return budget;
  }

  /**
   * A Cost Anomaly Detection monitor in the management account over the spend that carries a team's tag (a CUSTOM
   * monitor, `{"Tags":{"Key":"team","Values":["<team>"]}}`), in every linked account, with its subscription. Like
   * `addTeamBudget()`, only the team's name and cost tag keys are read.
   */
  public addTeamAnomalyMonitor(team: Team, options: OrganizationTeamAnomalyOptions): CostAnomalyDetection {
    const existing = this.teamMonitors.get(team.teamName);
    if (existing) {
      throw new GovernanceValidationError(this,
        `invalid team '${team.teamName}': an anomaly monitor for a team of that name was already added (${existing.node.path}). Add one monitor per team name: it covers the team in every account`);
    }
    const { tagKeyForm, ...subscription } = options;
    const detection = new CostAnomalyDetection(this, `Anomalies-${team.teamName}`, {
      ...subscription, monitor: AnomalyMonitorScope.teams([team], tagKeyForm),
    });
    this.teamMonitors.set(team.teamName, detection);
    return detection;
  }
}

/** The accounts a StackSet deploys to, when every deployment names them; otherwise undefined (OU-wide). */
function namedAccounts(stackSet: MemberStackSet): string[] | undefined {
  if (stackSet.deployments.some((d) => d.accounts === undefined)) {
    return undefined;
  }
  return [...new Set(stackSet.deployments.flatMap((d) => d.accounts!))];
}

/** True when `scope` is in `stack` or in one of its nested stacks. */
function inStack(scope: Construct, stack: Stack): boolean {
  for (let s: Stack | undefined = Stack.of(scope); s; s = s.nestedStackParent) {
    if (s === stack) {
      return true;
    }
  }
  return false;
}
