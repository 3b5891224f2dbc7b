import { Annotations, NestedStack, Token } from 'aws-cdk-lib';
import * as cloudwatchActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { AttributionTamperAlerts } from './access/attribution-tamper-alerts';
import { DirectInvocationGuard } from './access/direct-invocation-guard';
import { exemptFromBatchDeny, guardGrantee } from './access/grantee-guard';
import { InvocationLogQueries } from './audit/invocation-log-queries';
import { TeamProfileMapping } from './audit/team-profile-mapping';
import { WasteAudit } from './audit/waste-audit';
import { AttributionQueries } from './billing/attribution-queries';
import { ChargebackQueries } from './billing/chargeback-queries';
import { CostAllocationTagActivation } from './billing/cost-allocation-tag-activation';
import { Cur2Export } from './billing/cur2-export';
import { FocusExport } from './billing/focus-export';
import { GovernanceAlertTopic } from './budgets/alert-topic';
import { BudgetEnforcement } from './budgets/budget-enforcement';
import { AnomalyMonitorScope, CostAnomalyDetection } from './budgets/cost-anomaly-detection';
import { TeamBudget } from './budgets/team-budget';
import { BedrockGovernanceProps, GovernedTeamOptions } from './governance-props';
import { CostEstimator, WorkloadCostEstimate, WorkloadEstimateInput } from './levers/cost-estimator';
import { InvocationLogging } from './logging/invocation-logging';
import { GovernanceDashboard } from './monitoring/governance-dashboard';
import { TeamUsageAlarms } from './monitoring/team-usage-alarms';
import { BedrockGovernanceChecks, BedrockGovernanceChecksProps } from './nag/bedrock-governance-checks';
import { GovernanceValidationError, invalidProp } from './private/errors';
import { TeamPlacement } from './scale/team-placement';
import { CostTagKeys } from './tags/cost-tags';
import { Team } from './teams/team';

/** aws-cdk-lib's context key that turns off the creation stack trace of CloudFormation elements. */
const DISABLE_CREATION_STACK_TRACES = 'aws:cdk:disable-creation-stack-traces';

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

  /**
   * The direct-invocation guard: for the principals it applies to, denies the paths to Bedrock models that skip
   * a tagged team profile and the ways to move a profile's spend (docs/ACCESS-MATRIX.md lists what it proves and
   * what it does not cover).
   */
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
   * The CUR 2.0 export with IAM principal data.
   *
   * @default - undefined unless `cur2Export` was given
   */
  public readonly cur2Export?: Cur2Export;

  /**
   * The attribution (reconciliation) queries.
   *
   * @default - undefined unless `attribution` was given
   */
  public readonly attribution?: AttributionQueries;

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

  /**
   * The EventBridge rules that report changes to cost attribution to the alert topic.
   *
   * @default - undefined until the facade has an alert topic, or when `tamperAlerts` is false
   */
  public get tamperAlerts(): AttributionTamperAlerts | undefined {
    return this.tamperAlertRules;
  }

  /** The nested stacks teams were placed in, in order. */
  public readonly shards: NestedStack[];

  private sharedTopic?: sns.ITopic;
  private tamperAlertRules?: AttributionTamperAlerts;
  private readonly placement: TeamPlacement;
  private readonly teamsByName = new Map<string, Team>();
  private readonly props: BedrockGovernanceProps;

  constructor(scope: Construct, id: string, props: BedrockGovernanceProps = {}) {
    super(scope, id);
    // before any child exists: the context applies to every resource created under this construct
    if (this.node.tryGetContext(DISABLE_CREATION_STACK_TRACES) === undefined) {
      this.node.setContext(DISABLE_CREATION_STACK_TRACES, props.creationStackTraces !== true);
    }
    this.props = props;
    this.costTagKeys = props.costTagKeys ?? {};
    if (props.chargeback && !props.focusExport) {
      throw new GovernanceValidationError(this,
        'invalid chargeback: the chargeback queries read the FOCUS export of this construct. Set focusExport too, or use ChargebackQueries with FocusExport.fromExportAttributes() for an export made elsewhere');
    }
    if (props.attribution && !props.cur2Export) {
      throw new GovernanceValidationError(this,
        'invalid attribution: the attribution queries read the CUR 2.0 export of this construct. Set cur2Export too, or use AttributionQueries with Cur2Export.fromExportAttributes() for an export made elsewhere');
    }
    this.guard = new DirectInvocationGuard(this, 'Guard', { costTagKeys: this.costTagKeys, ...props.guard });
    this.placement = new TeamPlacement(this, { ...props, mainDashboard: () => this.dashboard });
    this.shards = this.placement.shards;

    const { enabled: loggingEnabled = true, ...loggingProps } = props.invocationLogging ?? {};
    if (loggingEnabled) {
      this.invocationLogging = new InvocationLogging(this, 'InvocationLogging', loggingProps);
    } else {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:invocationLoggingDisabled',
        'Model invocation logging is off (invocationLogging: { enabled: false }): Bedrock calls leave no record of who sent which prompt with how many tokens. '
        + 'Make sure another stack or tool configures it for this account and Region; the library\'s nag pack flags its absence');
    }

    if (props.alertTopic) {
      this.useAlertTopic(props.alertTopic);
      for (const email of props.alertEmails ?? []) {
        props.alertTopic.addSubscription(new subscriptions.EmailSubscription(email));
      }
    } else if ((props.alertEmails ?? []).length > 0) {
      this.useAlertTopic(new GovernanceAlertTopic(this, 'Alerts', { emails: props.alertEmails }).topic);
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
      this.costAllocationTags = new CostAllocationTagActivation(this, 'CostAllocationTags', {
        costTagKeys: this.costTagKeys, principalTagKeys: props.activatePrincipalTagKeys ?? true,
      });
    }
    if (props.chargeback && this.focusExport) {
      this.chargeback = new ChargebackQueries(this, 'Chargeback', {
        ...props.chargeback, focusExport: this.focusExport, costTagKeys: this.costTagKeys,
      });
    }
    if (props.cur2Export) {
      this.cur2Export = new Cur2Export(this, 'Cur2Export', props.cur2Export);
    }
    if (props.attribution && this.cur2Export) {
      this.attribution = new AttributionQueries(this, 'Attribution', {
        ...props.attribution, cur2Export: this.cur2Export, costTagKeys: this.costTagKeys,
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
    const scope = this.placement.place({
      models: options.models.length,
      budget: options.monthlyBudgetUsd !== undefined,
      enforcement: options.enforceBudget !== undefined,
      anomalies: options.anomalyThresholdUsd !== undefined,
    });
    const team = new Team(scope, teamName, {
      ...options,
      teamName,
      routing: options.routing ?? this.props.defaultRouting,
      profileNamePrefix: options.profileNamePrefix ?? this.props.profileNamePrefix,
      costTagKeys: this.costTagKeys,
    });
    const guardOptions = {
      scope: team, costTags: team.costTags, costTagKeys: this.costTagKeys, attachGuard: this.props.attachGuardToGrantees ?? true,
    };
    team._grantListeners.push((grantee) => guardGrantee(this.guard, grantee, guardOptions));
    // invokePolicy carries the guard's deny statements: grants to an exempt role stay inline
    team._invokePolicyAttachFilters.push((principal) => !(principal instanceof iam.Role && this.guard.isExempt(principal)));
    for (const profile of team.profiles) {
      profile._grantListeners.push((grantee) => guardGrantee(this.guard, grantee, { ...guardOptions, scope: profile }));
    }
    if (guardOptions.attachGuard && !this.guard.addDenyStatementsTo(team.invokePolicy)) {
      Annotations.of(team).addWarningV2('cdk-bedrock-governance:invokePolicyNotGuarded',
        `The invokePolicy of team '${teamName}' has no room for the guard's deny statements (IAM managed policies hold at most 6,144 characters), so a principal that holds it is not guarded by it: `
        + 'attach the guard\'s policy (gov.guard.policy) to such principals as well, or give them the guard as permissions boundary or service control policy');
    }
    team._batchGrantListeners.push((grantee) => exemptFromBatchDeny(this.guard, team, grantee));
    this.costAllocationTags?.addTagKeys(Object.keys(options.extraTags ?? {}));
    this.teamsByName.set(teamName, team);
    this.invocationLogQueries?.addTeam(team);
    this.placement.placed(team);
    if (this.props.publishProfileMapping ?? true) {
      new TeamProfileMapping(team, 'ProfileMapping', { team, parameterPath: this.profileMappingPath });
    }
    this.governTeamSpend(team, options);
    return team;
  }

  /**
   * Every dashboard of the facade: the main one, then one per nested stack.
   */
  public get dashboards(): GovernanceDashboard[] {
    return [...(this.dashboard ? [this.dashboard] : []), ...this.placement.nestedDashboards];
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
   * The SSM parameter path under which each team's profiles are published (`publishProfileMapping`): pass it to
   * `npx cdk-bedrock-governance report --mapping-parameter`.
   */
  public get profileMappingPath(): string {
    return `/bedrock-governance/${this.props.profileNamePrefix ?? ''}profile-mapping`;
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
    // Checked here, under the names passed to addTeam (the constructs below call them monthlyLimitUsd, thresholdUsd).
    for (const [prop, value, fix] of [
      ['monthlyBudgetUsd', options.monthlyBudgetUsd, 'Pass the team\'s monthly budget in USD, e.g. 5000'],
      ['anomalyThresholdUsd', options.anomalyThresholdUsd, 'Pass the smallest anomaly impact worth an alert, in USD, e.g. 100'],
    ] as const) {
      if (value !== undefined && !Token.isUnresolved(value) && !(Number.isFinite(value) && value > 0)) {
        throw invalidProp(team, prop, value, 'amounts in USD must be finite numbers greater than 0', fix);
      }
    }
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
      this.placement.dashboardOf(team)?.addAlarms(...alarms.createdAlarms());
    }
    this.placement.dashboardOf(team)?.addTeam(team);
  }

  private requireAlertTopic(): sns.ITopic {
    return this.sharedTopic ?? this.useAlertTopic(new GovernanceAlertTopic(this, 'Alerts').topic);
  }

  /**
   * The alert topic, once known: the alarms made before it (invocation-log delivery) notify it too, and
   * changes to cost attribution are reported to it.
   */
  private useAlertTopic(topic: sns.ITopic): sns.ITopic {
    this.sharedTopic = topic;
    if (this.props.invocationLogging?.alarmTopic !== topic) {
      for (const alarm of this.invocationLogging?.deliveryAlarms ?? []) {
        alarm.addAlarmAction(new cloudwatchActions.SnsAction(topic));
      }
    }
    this.watchAttribution(topic);
    return topic;
  }

  /** Report changes to cost attribution to the alert topic (unless `tamperAlerts` is false). */
  private watchAttribution(topic: sns.ITopic): void {
    if ((this.props.tamperAlerts ?? true) && !this.tamperAlertRules) {
      this.tamperAlertRules = new AttributionTamperAlerts(this, 'TamperAlerts', { topic });
    }
  }
}
