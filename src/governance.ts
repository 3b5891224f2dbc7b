import { Annotations, CfnResource, NestedStack, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, IConstruct } from 'constructs';
import { DirectInvocationGuard, DirectInvocationGuardProps } from './access/direct-invocation-guard';
import { InvocationLogQueries, InvocationLogQueriesOptions } from './audit/invocation-log-queries';
import { WasteAudit, WasteAuditProps } from './audit/waste-audit';
import { ChargebackQueries, ChargebackQueriesOptions } from './billing/chargeback-queries';
import { CostAllocationTagActivation } from './billing/cost-allocation-tag-activation';
import { FocusExport, FocusExportProps } from './billing/focus-export';
import { GovernanceAlertTopic } from './budgets/alert-topic';
import { BudgetEnforcement, BudgetEnforcementOptions } from './budgets/budget-enforcement';
import { AnomalyMonitorScope, CostAnomalyDetection } from './budgets/cost-anomaly-detection';
import { CostTagKeyForm } from './budgets/tag-key-form';
import { TeamBudget } from './budgets/team-budget';
import { CostEstimator, WorkloadCostEstimate, WorkloadEstimateInput } from './levers/cost-estimator';
import { InvocationLogging, InvocationLoggingProps } from './logging/invocation-logging';
import { InferenceRouting } from './models/routing';
import { GovernanceDashboard } from './monitoring/governance-dashboard';
import { TeamUsageAlarms, TeamUsageAlarmsOptions } from './monitoring/team-usage-alarms';
import { BedrockGovernanceChecks, BedrockGovernanceChecksProps } from './nag/bedrock-governance-checks';
import { GovernanceValidationError, invalidProp } from './private/errors';
import { CostTagKeys } from './teams/cost-tags';
import { Team, TeamOptions } from './teams/team';

/** Model invocation logging settings of `BedrockGovernance`. */
export interface GovernanceInvocationLoggingOptions extends InvocationLoggingProps {
  /**
   * Set to `false` to leave model invocation logging alone, e.g. when an account baseline or another
   * stack already configures it. The facade then warns, and the library's nag pack flags the gap.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** A team's settings in `BedrockGovernance.addTeam()`: the team itself plus the facade's spend controls. */
export interface GovernedTeamOptions extends TeamOptions {
  /**
   * A monthly AWS Budgets COST budget in USD over the spend tagged with this team; notifications at
   * ACTUAL 50/80/100% and FORECASTED 100% go to the facade's alert topic. Budgets data refreshes a few
   * times a day: `alarms` give near-real-time estimates.
   *
   * @default - no budget
   */
  readonly monthlyBudgetUsd?: number;

  /**
   * Stop the team when its budget is spent: an AWS Budgets action attaches a deny policy on the team's
   * profiles to these roles (by name) at the threshold (default 100% of actual spend). Needs
   * `monthlyBudgetUsd`. Acts only when Budgets data refreshes (hours).
   *
   * @default - the budget only notifies
   */
  readonly enforceBudget?: BudgetEnforcementOptions;

  /**
   * Watch the team's tagged spend with AWS Cost Anomaly Detection (a CUSTOM monitor on its team tag) and
   * send IMMEDIATE alerts to the alert topic for anomalies with at least this impact in USD.
   *
   * @default - no anomaly monitor
   */
  readonly anomalyThresholdUsd?: number;

  /**
   * CloudWatch alarms on the team's profiles (estimated spend per hour, sustained throttles, server errors,
   * and a cache-hit-ratio floor when the team sets `caching`), notifying the alert topic.
   *
   * @default - none, unless `monthlyBudgetUsd` is set: then team-wide throttle and server-error alarms and
   * a team spend alarm at 3x the budget's average hourly burn (`alarms: { perProfile: true }` adds the
   * per-profile ones)
   */
  readonly alarms?: TeamUsageAlarmsOptions;
}

/** Properties of `BedrockGovernance`. */
export interface BedrockGovernanceProps {
  /**
   * The cost allocation tag key names used by every team, budget, monitor and query.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * Prefix of every team's profile names, unless the team sets its own. Profile names must be unique
   * in an account and Region, so give each deployment of the same teams (e.g. `dev-`, `prod-`) its own.
   *
   * @default - no prefix
   */
  readonly profileNamePrefix?: string;

  /**
   * Routing of teams that do not set their own.
   *
   * @default InferenceRouting.inRegion()
   */
  readonly defaultRouting?: InferenceRouting;

  /**
   * Settings of the direct-invocation guard the facade creates (`gov.guard`).
   *
   * @default - direct model calls, direct system-profile calls, `bedrock-mantle`, batch job creation and
   * provisioned-throughput purchases are denied; global routing is allowed
   */
  readonly guard?: DirectInvocationGuardProps;

  /**
   * Attach the guard to every role that a team grants invoke to (`team.grantInvoke(role)`), so that role
   * can reach models only through profiles even if another policy allows more. Exempt roles are skipped.
   *
   * @default true
   */
  readonly attachGuardToGrantees?: boolean;

  /**
   * Model invocation logging for the stack's account and Region: every Converse/InvokeModel call is logged
   * to S3 (and optionally CloudWatch Logs). It is one setting per account and Region, so only one
   * `BedrockGovernance` (or `InvocationLogging`) per environment in an app may have it on.
   * `{ enabled: false }` skips it.
   *
   * @default - on: a created, hardened bucket, S3 delivery, text data logged, logging left on when the
   * stack is deleted
   */
  readonly invocationLogging?: GovernanceInvocationLoggingOptions;

  /**
   * A FOCUS Data Export (Parquet, refreshed by AWS up to three times a day) to a hardened bucket: a native
   * `AWS::BCMDataExports::Export` in us-east-1, a custom resource calling the us-east-1 API elsewhere.
   * Made in the management account, it covers every member account.
   *
   * @default - no export
   */
  readonly focusExport?: FocusExportProps;

  /**
   * Activate the cost tag keys (and the keys of the teams' `extraTags`) as cost allocation tags through
   * Cost Explorer in us-east-1. Takes up to 24 hours, is not retroactive, and likely needs the management
   * (payer) account (UNVERIFIED); errors are reported in stack Outputs, not thrown.
   *
   * @default true
   */
  readonly activateCostAllocationTags?: boolean;

  /**
   * Athena chargeback queries over `focusExport` (Glue table with partition projection, an enforced
   * workgroup, named queries per team, model, operation, cache savings and untagged spend).
   * Requires `focusExport`.
   *
   * @default - none
   */
  readonly chargeback?: ChargebackQueriesOptions;

  /**
   * Email addresses subscribed to the alert topic: budget notifications and actions, IMMEDIATE cost
   * anomalies and alarms reach them (each confirms its subscription first).
   *
   * @default - no email subscription
   */
  readonly alertEmails?: string[];

  /**
   * The topic every budget, budget action, anomaly subscription and alarm of the facade notifies. Its
   * policy must let budgets.amazonaws.com, costalerts.amazonaws.com and cloudwatch.amazonaws.com publish,
   * and an encrypted topic's key must let them use it (a `GovernanceAlertTopic` does both).
   *
   * @default - a `GovernanceAlertTopic` (KMS-encrypted, TLS only), created for `alertEmails` or for the
   * first team that needs it
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * How the team tag key is spelled in budget filters and anomaly monitors (UNVERIFIED: see `CostTagKeyForm`).
   *
   * @default CostTagKeyForm.BARE
   */
  readonly costFilterTagKeyForm?: CostTagKeyForm;

  /**
   * Create the governance dashboard (`gov.dashboard`) with every team.
   *
   * @default true
   */
  readonly dashboard?: boolean;

  /**
   * The dashboard's name.
   *
   * @default - generated
   */
  readonly dashboardName?: string;

  /**
   * Place teams into nested stacks when the facade's stack would pass `resourceBudgetPerStack`
   * resources (CloudFormation allows 500 per stack). Teams stay where they were placed: adding teams at
   * the end of the list never moves (and so never replaces) the teams before them. With `false`, a stack
   * over 500 resources is a synth error that says how to split the teams.
   *
   * @default true
   */
  readonly sharding?: boolean;

  /**
   * The most resources the facade puts in its own stack and in each of its nested stacks, counting every
   * resource already in the stack. The margin below 500 leaves room for what teams add later (grants'
   * roles in the same stack, batch service roles). The facade's own stack also keeps half of the budget
   * free for the nested stacks themselves (one resource each).
   *
   * @default 450
   */
  readonly resourceBudgetPerStack?: number;

  /**
   * The application inference profile quota of the account and Region (1,000 or 2,000 by default,
   * adjustable: UNVERIFIED). More profiles than this in one account and Region, across every facade of
   * the app, is a synth error. Raise it after AWS raises your quota.
   *
   * @default 1000
   */
  readonly profileQuota?: number;

  /**
   * The most template bytes the facade puts in its own stack and in each nested stack, as estimated while
   * placing teams (each team's resources are rendered once to measure them). CloudFormation takes
   * templates of up to 1 MB from S3.
   *
   * @default 800000
   */
  readonly templateBudgetBytes?: number;

  /**
   * Athena named queries over the invocation logs (top workloads, cost per team with cache tokens, cache hit
   * ratio, streaming share, profile bypass, laddering and batch candidates), with every team's profiles
   * mapped. Reads the bucket and key prefix of the facade's invocation logging, which must be on.
   *
   * @default - no queries
   */
  readonly invocationLogQueries?: InvocationLogQueriesOptions;

  /**
   * A scheduled waste audit (idle knowledge bases and profiles, underused provisioned throughput, streaming
   * by non-interactive teams) with JSON and Markdown reports in S3 and a summary to the alert topic.
   *
   * @default - no audit
   */
  readonly wasteAudit?: WasteAuditProps;
}

/**
 * Bedrock governance for a set of teams: the facade that composes the library's constructs.
 *
 * Each `addTeam()` creates the team's tagged application inference profiles and its invoke policy.
 */
export class BedrockGovernance extends Construct {
  /**
   * Price a described workload with the model catalogue before and after each spend lever (prompt
   * caching, model laddering, batch inference). A pure function of the catalogue: no AWS call.
   */
  public static estimateMonthlyCost(workload: WorkloadEstimateInput): WorkloadCostEstimate {
    return CostEstimator.estimate(workload);
  }

  /** The cost allocation tag key names. */
  public readonly costTagKeys: CostTagKeys;

  /** The guard that denies every path to Bedrock models that skips a team profile. */
  public readonly guard: DirectInvocationGuard;

  /**
   * The model invocation logging.
   *
   * @default - undefined when turned off with `invocationLogging: { enabled: false }`
   */
  public readonly invocationLogging?: InvocationLogging;

  /**
   * The FOCUS export.
   *
   * @default - undefined unless `focusExport` was given
   */
  public readonly focusExport?: FocusExport;

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
   * The governance dashboard: per-team spend, tokens, cache hit ratio, invocations, throttles, latency.
   *
   * @default - undefined when `dashboard` is false
   */
  public readonly dashboard?: GovernanceDashboard;

  /**
   * The invocation-log queries.
   *
   * @default - undefined unless `invocationLogQueries` was given
   */
  public readonly invocationLogQueries?: InvocationLogQueries;

  /**
   * The waste audit.
   *
   * @default - undefined unless `wasteAudit` was given
   */
  public readonly wasteAudit?: WasteAudit;

  /** The nested stacks teams were placed in, in order. */
  public readonly shards: NestedStack[] = [];

  private sharedTopic?: sns.ITopic;
  private readonly shardDashboards = new Map<NestedStack, GovernanceDashboard>();
  private lastTeam?: Team;
  private readonly groups: NestedStack[] = [];
  private lastTeamBytes = 0;
  private readonly measuredTeams = new WeakSet<Team>();
  private readonly stackBytes = new Map<Stack, number>();
  private readonly teamsByName = new Map<string, Team>();
  private readonly props: BedrockGovernanceProps;

  constructor(scope: Construct, id: string, props: BedrockGovernanceProps = {}) {
    super(scope, id);
    this.props = props;
    this.costTagKeys = props.costTagKeys ?? {};
    if (props.chargeback && !props.focusExport) {
      throw new GovernanceValidationError(this,
        'invalid chargeback: the chargeback queries read the FOCUS export of this construct. Set focusExport too, or use ChargebackQueries with FocusExport.fromExportAttributes() for an export made elsewhere');
    }
    this.guard = new DirectInvocationGuard(this, 'Guard', props.guard);
    validateScaleProps(this, props);
    this.node.addValidation({ validate: () => this.validateStackSizes() });

    const { enabled: loggingEnabled = true, ...loggingProps } = props.invocationLogging ?? {};
    if (loggingEnabled) {
      this.invocationLogging = new InvocationLogging(this, 'InvocationLogging', loggingProps);
    } else {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:invocationLoggingDisabled',
        'Model invocation logging is off (invocationLogging: { enabled: false }): Bedrock calls leave no record of who sent which prompt with how many tokens. '
        + 'Make sure another stack or tool configures it for this account and Region; the library\'s nag pack flags its absence');
    }

    this.sharedTopic = props.alertTopic;
    if (props.alertTopic) {
      for (const email of props.alertEmails ?? []) {
        props.alertTopic.addSubscription(new subscriptions.EmailSubscription(email));
      }
    } else if ((props.alertEmails ?? []).length > 0) {
      this.sharedTopic = new GovernanceAlertTopic(this, 'Alerts', { emails: props.alertEmails }).topic;
    }
    if (props.dashboard ?? true) {
      this.dashboard = new GovernanceDashboard(this, 'Dashboard', { dashboardName: props.dashboardName });
      if (this.invocationLogging) {
        this.dashboard.addLoggingAlarms(...this.invocationLogging.deliveryAlarms);
      }
    }

    if (props.focusExport) {
      this.focusExport = new FocusExport(this, 'FocusExport', props.focusExport);
    }
    if (props.activateCostAllocationTags ?? true) {
      this.costAllocationTags = new CostAllocationTagActivation(this, 'CostAllocationTags', { costTagKeys: this.costTagKeys });
    }
    if (props.chargeback && this.focusExport) {
      this.chargeback = new ChargebackQueries(this, 'Chargeback', {
        ...props.chargeback, focusExport: this.focusExport, costTagKeys: this.costTagKeys,
      });
    }
    if (props.invocationLogQueries) {
      if (!this.invocationLogging) {
        throw invalidProp(this, 'invocationLogQueries', props.invocationLogQueries,
          'the queries read the invocation logs, and invocation logging is off', 'Turn invocationLogging on, or use InvocationLogQueries with the bucket your logs go to');
      }
      this.invocationLogQueries = new InvocationLogQueries(this, 'InvocationLogQueries', {
        ...props.invocationLogQueries,
        bucket: this.invocationLogging.bucket,
        keyPrefix: this.invocationLogging.keyPrefix,
      });
    }
    if (props.wasteAudit) {
      this.wasteAudit = new WasteAudit(this, 'WasteAudit', { topic: this.sharedTopic, costTagKeys: this.costTagKeys, ...props.wasteAudit });
    }
  }

  /** The teams, in the order they were added. */
  public get teams(): Team[] {
    return [...this.teamsByName.values()];
  }

  /**
   * Add a team. Its construct id is the team name, so renaming a team replaces its resources.
   */
  public addTeam(teamName: string, options: GovernedTeamOptions): Team {
    const existing = this.teamsByName.get(teamName);
    if (existing) {
      throw new GovernanceValidationError(this,
        `invalid teamName '${teamName}': a team of that name was already added (${existing.node.path}). Give each team a unique name`);
    }
    const scope = this.placeTeam(options);
    const team = new Team(scope, teamName, {
      ...options,
      teamName,
      routing: options.routing ?? this.props.defaultRouting,
      profileNamePrefix: options.profileNamePrefix ?? this.props.profileNamePrefix,
      costTagKeys: this.costTagKeys,
    });
    if (this.props.attachGuardToGrantees ?? true) {
      team._grantListeners.push((grantee) => this.attachGuardToGrantee(grantee));
    }
    team._batchGrantListeners.push((grantee) => this.exemptFromBatchDeny(team, grantee));
    this.costAllocationTags?.addTagKeys(Object.keys(options.extraTags ?? {}));
    this.teamsByName.set(teamName, team);
    this.invocationLogQueries?.addTeam(team);
    countProfiles(this, team.profiles.length, this.props.profileQuota ?? DEFAULT_PROFILE_QUOTA);
    this.governTeamSpend(team, options);
    this.lastTeam = team;
    return team;
  }

  /**
   * Every dashboard of the facade: the main one, then one per nested stack.
   */
  public get dashboards(): GovernanceDashboard[] {
    return [...(this.dashboard ? [this.dashboard] : []), ...this.shardDashboards.values()];
  }

  /**
   * Where the next team goes: the facade itself while its stack has room, then the last nested stack
   * while it has room, then a new nested stack. The room a team needs is estimated from the team before
   * it (its resources, counted when the next team is placed), so placement depends only on the teams
   * added before: appending a team never moves another.
   */
  private placeTeam(options: GovernedTeamOptions): Construct {
    const budget = this.props.resourceBudgetPerStack ?? DEFAULT_RESOURCE_BUDGET;
    const byteBudget = this.props.templateBudgetBytes ?? DEFAULT_TEMPLATE_BUDGET_BYTES;
    const previous = this.lastTeam;
    if (previous && !this.measuredTeams.has(previous)) {
      const previousStack = Stack.of(previous);
      this.lastTeamBytes = templateBytes(previous, previousStack);
      this.measuredTeams.add(previous);
      this.stackBytes.set(previousStack, (this.stackBytes.get(previousStack) ?? 0) + this.lastTeamBytes + this.dashboardBytesPerTeam(previousStack));
    }
    const estimate = previous ? countResources(previous, Stack.of(previous)) : firstTeamEstimate(options);
    const current = this.shards.length === 0 ? this : this.shards[this.shards.length - 1];
    const currentStack = Stack.of(current);
    if (!this.stackBytes.has(currentStack)) {
      this.stackBytes.set(currentStack, templateBytes(currentStack, currentStack));
    }
    const used = countResources(currentStack, currentStack);
    const usedBytes = this.stackBytes.get(currentStack)!;
    const byteEstimate = (previous ? this.lastTeamBytes : FIRST_TEAM_BYTES_ESTIMATE) + this.dashboardBytesPerTeam(currentStack);
    // The facade's own stack keeps room for the nested stacks themselves (one resource each).
    const room = current === this ? budget - parentReserve(budget) : budget;
    const fits = used + estimate <= room && usedBytes + byteEstimate <= byteBudget;
    if (fits || !(this.props.sharding ?? true)) {
      return current;
    }
    if (this.shards.length > 0 && used === 0) {
      return current;
    }
    const shard = new NestedStack(this.shardHost(budget), `Teams${this.shards.length + 1}`, {
      description: `Bedrock governance teams, part ${this.shards.length + 1} (placed by BedrockGovernance)`,
    });
    this.shards.push(shard);
    // At this scale, a row per team would take the facade's stack past CloudFormation's 1 MB template limit.
    this.dashboard?._disableTeamRows();
    if (this.dashboard) {
      // Each nested stack gets its own dashboard of its teams (the summary rows only: a team's rows would pass
      // CloudWatch's dashboard limits at this scale); the main dashboard's SEARCH graphs cover every team.
      this.shardDashboards.set(shard, new GovernanceDashboard(shard, 'Dashboard', { teamRows: false }));
    }
    return shard;
  }

  /**
   * A BedrockGovernance rule pack that checks profiles and budgets against this facade's cost tag keys.
   * Register it with `Validations.of(app).addPlugins(gov.checks())`.
   *
   * @param props the pack's settings; `costTagKeys` defaults to this facade's
   */
  public checks(props: BedrockGovernanceChecksProps = {}): BedrockGovernanceChecks {
    return new BedrockGovernanceChecks(undefined, { ...props, costTagKeys: props.costTagKeys ?? this.costTagKeys });
  }

  /**
   * The topic budgets, budget actions, anomaly alerts and alarms notify.
   *
   * @returns undefined until given, or created for `alertEmails` or the first team that needs it
   */
  public get alertTopic(): sns.ITopic | undefined {
    return this.sharedTopic;
  }

  /**
   * The team of that name.
   *
   * @throws if no such team was added
   */
  public team(teamName: string): Team {
    const team = this.teamsByName.get(teamName);
    if (!team) {
      throw new GovernanceValidationError(this,
        `no team named '${teamName}'; the teams are: ${[...this.teamsByName.keys()].join(', ') || '(none)'}. Call addTeam('${teamName}', ...) first`);
    }
    return team;
  }

  private governTeamSpend(team: Team, options: GovernedTeamOptions): void {
    if (options.enforceBudget && options.monthlyBudgetUsd === undefined) {
      throw invalidProp(team, 'enforceBudget', team.teamName, 'a budget action needs a budget', 'Set monthlyBudgetUsd as well');
    }
    if (options.monthlyBudgetUsd !== undefined) {
      const budget = new TeamBudget(team, 'Budget', {
        team, monthlyLimitUsd: options.monthlyBudgetUsd, topic: this.requireAlertTopic(), tagKeyForm: this.props.costFilterTagKeyForm,
      });
      if (options.enforceBudget) {
        new BudgetEnforcement(team, 'BudgetEnforcement', { ...options.enforceBudget, budget });
      }
    }
    if (options.anomalyThresholdUsd !== undefined) {
      new CostAnomalyDetection(team, 'CostAnomalies', {
        monitor: AnomalyMonitorScope.teams([team], this.props.costFilterTagKeyForm),
        topic: this.requireAlertTopic(),
        thresholdUsd: options.anomalyThresholdUsd,
      });
    }
    const budgetUsd = options.monthlyBudgetUsd;
    if (options.alarms !== undefined || budgetUsd !== undefined) {
      const derived = budgetUsd !== undefined && !Token.isUnresolved(budgetUsd)
        ? TeamUsageAlarms.hourlySpendFromMonthlyBudget(budgetUsd) : undefined;
      const alarms = new TeamUsageAlarms(team, 'UsageAlarms', {
        // team-wide alarms by default (each alarm is billed monthly); per-profile alarms on request
        perProfile: false,
        ...options.alarms,
        team,
        topic: this.requireAlertTopic(),
        hourlySpendUsd: options.alarms?.hourlySpendUsd ?? derived,
      });
      this.dashboardOf(team)?.addAlarms(...alarms.createdAlarms());
    }
    this.dashboardOf(team)?.addTeam(team);
  }

  /**
   * Where the next nested stack of teams goes: the facade while its stack has room for one more resource,
   * then the last group (a nested stack holding only nested stacks of teams) while it has room, then a new group.
   * At the default budget that is room for about 200 groups of 450 nested stacks.
   */
  private shardHost(budget: number): Construct {
    const parent = Stack.of(this);
    if (this.groups.length === 0 && countResources(parent, parent) + 1 <= budget) {
      return this;
    }
    const last = this.groups[this.groups.length - 1];
    if (last && countResources(last, last) + 1 <= budget) {
      return last;
    }
    const group = new NestedStack(this, `Group${this.groups.length + 1}`, {
      description: `Bedrock governance team stacks, group ${this.groups.length + 1} (placed by BedrockGovernance)`,
    });
    this.groups.push(group);
    return group;
  }

  /** Template bytes the dashboard of a stack grows by per team (rows on: ~30 KB, summary only: ~10 KB, measured). */
  private dashboardBytesPerTeam(stack: Stack): number {
    if (stack === Stack.of(this)) {
      return this.dashboard ? (this.shards.length === 0 ? 40_000 : 12_000) : 0;
    }
    return stack instanceof NestedStack && this.shardDashboards.has(stack) ? 12_000 : 0;
  }

  private dashboardOf(team: Team): GovernanceDashboard | undefined {
    const stack = Stack.of(team);
    return stack instanceof NestedStack && this.shardDashboards.has(stack) ? this.shardDashboards.get(stack) : this.dashboard;
  }

  /** Every stack the facade fills must stay within CloudFormation's 500 resources. */
  private validateStackSizes(): string[] {
    const stacks: Stack[] = [Stack.of(this), ...this.groups, ...this.shards];
    const errors: string[] = [];
    for (const stack of stacks) {
      const count = countResources(stack, stack);
      if (count > CFN_MAX_RESOURCES) {
        errors.push(`${stack.node.path}: ${count} resources, over CloudFormation's limit of ${CFN_MAX_RESOURCES} per stack. `
          + (this.props.sharding ?? true
            ? `Lower resourceBudgetPerStack (now ${this.props.resourceBudgetPerStack ?? DEFAULT_RESOURCE_BUDGET}) to leave more room for what is added to teams after they are placed`
            : 'Turn sharding on (the default), or split the teams across several BedrockGovernance constructs in separate stacks'));
      }
    }
    return errors;
  }

  private requireAlertTopic(): sns.ITopic {
    if (!this.sharedTopic) {
      this.sharedTopic = new GovernanceAlertTopic(this, 'Alerts').topic;
    }
    return this.sharedTopic;
  }

  private exemptFromBatchDeny(team: Team, grantee: iam.IGrantable): void {
    const principal = grantee.grantPrincipal as unknown as IConstruct;
    if (isRole(principal)) {
      this.guard.exemptFromBatchDeny(principal);
    } else {
      Annotations.of(team).addWarningV2('cdk-bedrock-governance:batchGranteeNotExempt',
        `The batch grantee of team '${team.teamName}' is not an IAM role, so the guard's batch deny cannot exempt it; grant batch inference to a role`);
    }
  }

  private attachGuardToGrantee(grantee: iam.IGrantable): void {
    const principal = grantee.grantPrincipal as unknown as IConstruct;
    if (!isRole(principal) || this.guard.isExempt(principal) || this.guard.isAttachedTo(principal)) {
      return;
    }
    this.guard.attachTo(principal);
  }
}

/** An IAM role construct (created in the app or imported). */
function isRole(x: unknown): x is iam.IRole {
  return typeof x === 'object' && x !== null && Construct.isConstruct(x)
    && 'roleArn' in x && 'roleName' in x && 'addManagedPolicy' in x;
}

/** CloudFormation's resource limit per stack. */
const CFN_MAX_RESOURCES = 500;
/** Default resource budget per stack. */
const DEFAULT_RESOURCE_BUDGET = 450;
/** Default template byte budget per stack (CloudFormation's limit for a template in S3 is 1 MB). */
const DEFAULT_TEMPLATE_BUDGET_BYTES = 800_000;
/** Resource types whose properties hold IAM policy documents (not rendered while placing teams). */
const POLICY_HOLDING_TYPES = new Set([
  'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group',
  'AWS::KMS::Key', 'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::Organizations::Policy',
]);
/** Template bytes assumed for a resource holding a policy document (a team's policies measure 1-3 KB). */
const POLICY_RESOURCE_BYTES_ESTIMATE = 3_000;

/** Template bytes a first team is assumed to take before one has been measured. */
const FIRST_TEAM_BYTES_ESTIMATE = 40_000;

/**
 * The bytes the CfnResources under a scope (in the given stack) take in the template, as CDK writes it
 * (JSON with one space of indentation, two levels deep).
 */
function templateBytes(scope: IConstruct, stack: Stack): number {
  let bytes = 0;
  const visit = (c: IConstruct): void => {
    if (c instanceof Stack && c !== stack) {
      bytes += 600;
      return;
    }
    if (c instanceof CfnResource) {
      if (POLICY_HOLDING_TYPES.has(c.cfnResourceType)) {
        // Resolving a policy document freezes its statements, and others may still add to them: estimate.
        bytes += POLICY_RESOURCE_BYTES_ESTIMATE;
      } else {
        const text = JSON.stringify(stack.resolve((c as any)._toCloudFormation()), undefined, 1);
        bytes += text.length + (text.match(/\n/g)?.length ?? 0) * 2;
      }
    }
    for (const child of c.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return bytes;
}

/** Default application inference profile quota per account and Region (UNVERIFIED: 1,000 or 2,000). */
const DEFAULT_PROFILE_QUOTA = 1000;

/** The CfnResources under a scope that belong to the given stack (not to nested stacks below it). */
function countResources(scope: IConstruct, stack: Stack): number {
  let count = 0;
  const visit = (c: IConstruct): void => {
    if (c instanceof Stack && c !== stack) {
      // a nested stack is one resource of its parent; its own resources are not
      count += 1;
      return;
    }
    if (c instanceof CfnResource) {
      count += 1;
    }
    for (const child of c.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return count;
}

/**
 * Resources the facade's own stack keeps free for the nested stacks (one resource each): half the budget,
 * 225 at the default, room for about 100,000 team resources.
 */
function parentReserve(budget: number): number {
  return Math.floor(budget / 2);
}

/** Resources a first team is expected to need (profiles, invoke policy, and the facade's spend controls). */
function firstTeamEstimate(options: GovernedTeamOptions): number {
  const models = options.models.length + 3;
  const budget = options.monthlyBudgetUsd !== undefined ? 1 + 12 : 0;
  const enforcement = options.enforceBudget ? 4 : 0;
  const anomalies = options.anomalyThresholdUsd !== undefined ? 2 : 0;
  return models + 2 + budget + enforcement + anomalies;
}

function validateScaleProps(scope: Construct, props: BedrockGovernanceProps): void {
  const budget = props.resourceBudgetPerStack;
  if (budget !== undefined && !Token.isUnresolved(budget) && !(Number.isInteger(budget) && budget >= 50 && budget <= CFN_MAX_RESOURCES)) {
    throw invalidProp(scope, 'resourceBudgetPerStack', budget,
      `the budget is a whole number of resources from 50 to ${CFN_MAX_RESOURCES} (CloudFormation's limit per stack)`, 'Pass e.g. 450');
  }
  const quota = props.profileQuota;
  if (quota !== undefined && !Token.isUnresolved(quota) && !(Number.isInteger(quota) && quota > 0)) {
    throw invalidProp(scope, 'profileQuota', quota, 'the quota is a positive whole number of profiles', 'Pass the quota AWS shows for your account and Region, e.g. 1000');
  }
}

/** Profiles per account and Region across the app (keyed on the construct tree's root). */
const PROFILE_COUNTS = new WeakMap<IConstruct, Map<string, number>>();

function countProfiles(facade: Construct, added: number, quota: number): void {
  const stack = Stack.of(facade);
  if (Token.isUnresolved(stack.account) || Token.isUnresolved(stack.region)) {
    return;
  }
  const root = facade.node.root;
  let counts = PROFILE_COUNTS.get(root);
  if (!counts) {
    counts = new Map();
    PROFILE_COUNTS.set(root, counts);
  }
  const key = `${stack.account}/${stack.region}`;
  const total = (counts.get(key) ?? 0) + added;
  counts.set(key, total);
  if (total > quota) {
    throw new GovernanceValidationError(facade,
      `${total} application inference profiles in account ${stack.account}, Region ${stack.region} (teams x models, across the app) exceed the profile quota of ${quota}. `
      + 'Ask AWS to raise the Bedrock application inference profile quota and set profileQuota to the new value, or spread the teams across Regions or accounts');
  }
}
