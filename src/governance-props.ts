import * as sns from 'aws-cdk-lib/aws-sns';
import { DirectInvocationGuardProps } from './access/direct-invocation-guard';
import { InvocationLogQueriesOptions } from './audit/invocation-log-queries';
import { WasteAuditProps } from './audit/waste-audit';
import { AttributionQueriesOptions } from './billing/attribution-queries';
import { ChargebackQueriesOptions } from './billing/chargeback-queries';
import { Cur2ExportProps } from './billing/cur2-export';
import { FocusExportProps } from './billing/focus-export';
import { BudgetEnforcementOptions } from './budgets/budget-enforcement';
import { CostTagKeyForm } from './budgets/tag-key-form';
import { InvocationLoggingProps } from './logging/invocation-logging';
import { InferenceRouting } from './models/bedrock-model';
import { TeamUsageAlarmsOptions } from './monitoring/team-usage-alarms';
import { CostTagKeys } from './tags/cost-tags';
import { TeamOptions } from './teams/team';

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
   * @default - the facade's cost tag keys; direct model and system-profile calls, untagged profiles, other
   * model resources, every model-running job and service of the action table, cost tag changes and profile
   * deletion are denied; global routing and other teams' tagged profiles (`requireTeamMatch: false`) are allowed
   */
  readonly guard?: DirectInvocationGuardProps;

  /**
   * Guard every grantee of a team: attach the guard to every role, user and group that a team or one of its
   * profiles grants invoke to (`team.grantInvoke()`, `team.profile(m).grantInvoke()`), and add the guard's
   * deny statements to each team's `invokePolicy`, so whatever holds it is guarded too. Exempt roles are
   * skipped; a synth warning names grantees that cannot be guarded (immutable imported roles, service
   * principals). Grantee roles and users always get their team's cost tags as principal tags.
   *
   * @default true
   */
  readonly attachGuardToGrantees?: boolean;

  /**
   * Report changes to cost attribution (profiles created, retagged or deleted, invocation logging changed,
   * the guard detached) to the alert topic with an `AttributionTamperAlerts`, once the facade has an alert
   * topic. Needs a CloudTrail trail logging management events; IAM events reach EventBridge only in us-east-1.
   *
   * @default true
   */
  readonly tamperAlerts?: boolean;

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
   * A CUR 2.0 Data Export with IAM principal data (the second witness of who spent: the calling principal and its
   * principal and session tags), Parquet, to a hardened bucket, like `focusExport`. See docs/ATTRIBUTION.md.
   *
   * @default - no CUR 2.0 export
   */
  readonly cur2Export?: Cur2ExportProps;

  /**
   * Athena reconciliation queries over `cur2Export`: cost per team by profile tag and by principal tag side by side,
   * cost per principal within a team, cross-team use, direct calls by principal. Requires `cur2Export`.
   *
   * @default - none
   */
  readonly attribution?: AttributionQueriesOptions;

  /**
   * With `activateCostAllocationTags`, also activate the IAM principal form of the cost tag keys
   * (`iamPrincipal/<key>`), so that the tags of the principals that call Bedrock (the teams' cost tags on their
   * grantee roles, session tags) reach CUR 2.0 and Cost Explorer. The key form the API takes is UNVERIFIED: keys AWS
   * does not activate are reported in stack Outputs, not thrown.
   *
   * @default true
   */
  readonly activatePrincipalTagKeys?: boolean;

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
   * Write the templates of the nested stacks the facade creates for its teams (`TeamsN`, `GroupN`) without
   * indentation (aws-cdk-lib's `suppressTemplateIndentation`). They are read by CloudFormation, not by people
   * (`cdk diff` compares parsed templates), and compact JSON is about a third smaller: less to upload and store
   * per deployment. Set `false` to read them indented in `cdk.out`. The facade's own stack keeps your app's
   * setting. Placement estimates bytes as if indented either way, so this setting never moves a team.
   *
   * @default - the app's `@aws-cdk/core:suppressTemplateIndentation` context value if set, else `true`
   */
  readonly suppressNestedTemplateIndentation?: boolean;

  /**
   * Record aws-cdk-lib's creation stack trace (the call stack that created it, kept in memory until synthesis
   * ends) for every CloudFormation resource under this construct. They are what takes most memory in a large
   * app: measured at 1,000 teams (two runs each), one synthesis peaked at 708-713 MB with them and 527-529 MB
   * without, and took 11-14% less CPU without (docs/PERFORMANCE.md, Memory). Off by default under this construct
   * only; `cdk synth --debug` (the
   * `CDK_DEBUG` environment variable) records them anyway, and an app that sets the
   * `aws:cdk:disable-creation-stack-traces` context key itself keeps its own choice.
   *
   * @default false
   */
  readonly creationStackTraces?: boolean;

  /**
   * Athena named queries over the invocation logs (top workloads, cost per team with cache tokens, cache hit
   * ratio, streaming share, profile bypass, laddering and batch candidates), with every team's profiles
   * mapped. Reads the bucket and key prefix of the facade's invocation logging, which must be on.
   *
   * @default - no queries
   */
  readonly invocationLogQueries?: InvocationLogQueriesOptions;

  /**
   * Publish each team's profiles as an SSM parameter under `profileMappingPath`
   * (`/bedrock-governance/<profileNamePrefix>profile-mapping/<team>`), which
   * `npx cdk-bedrock-governance report --mapping-parameter <path>` reads instead of a hand-written mapping file.
   *
   * @default true
   */
  readonly publishProfileMapping?: boolean;

  /**
   * A scheduled waste audit (idle knowledge bases and profiles, underused provisioned throughput, streaming
   * by non-interactive teams) with JSON and Markdown reports in S3 and a summary to the alert topic.
   *
   * @default - no audit
   */
  readonly wasteAudit?: WasteAuditProps;
}
