import { CfnResource, PolicyValidationPluginReport, Tags } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps, NagRuleResult } from 'cdk-nag';
import { IConstruct } from 'constructs';
import {
  BedrockDirectModelInvocation,
  BedrockInvocationLoggingMissing,
  BedrockInvokeOnAllApplicationProfiles,
  BedrockKnowledgeBaseOpenSearchServerless,
  BedrockMantleAllowed,
  BedrockPremiumModelLightTask,
  BedrockProfileCostTags,
  BedrockStreamingNonInteractive,
  BedrockTeamWithoutBudget,
  BedrockWildcardPermissions,
  BudgetNotificationsWithSubscribers,
} from './rules';
import { ModelTier } from '../models/pricing';
import { costTagKeyList, resolveCostTagKeys } from '../tags/cost-tag-keys';
import { NagAppIndex, NagRuleContext } from './private/app-index';
import { RULE_TYPES } from './private/rule-types';
import { CostTagKeys } from '../tags/cost-tags';
import { INTERACTIVE_TAG_KEY, TASK_TIER_TAG_KEY } from '../tags/governance-tags';

/** Properties of `BedrockGovernanceChecks`. */
export interface BedrockGovernanceChecksProps extends NagPackProps {
  /**
   * The cost allocation tag key names every application inference profile must carry (rule TAG1);
   * the team key is also the one budgets must filter on (rule BUD1).
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * Whether to run the warning-level rules (IAM3, IAM5, IAM6, BUD1, KB1). cdk-nag 3 fails synthesis
   * on warnings too, so turn them off to enforce only the error-level rules.
   *
   * @default true
   */
  readonly warnings?: boolean;

  /**
   * Roles to treat as non-interactive (rule IAM5), besides those tagged
   * `bedrock-governance:interactive` = `false`: construct paths of `iam.Role`s or of their
   * `AWS::IAM::Role` resources (`MyStack/Worker` or `MyStack/Worker/Resource`), or logical ids.
   *
   * @default - only the tagged roles
   */
  readonly nonInteractiveRoles?: string[];

  /**
   * Roles to treat as serving light tasks (rule IAM6), besides those tagged
   * `bedrock-governance:task-tier` = `LIGHT`: construct paths or logical ids, as for `nonInteractiveRoles`.
   *
   * @default - only the tagged roles
   */
  readonly lightTaskRoles?: string[];
}

/** One rule of the pack, as it reports findings. */
export interface BedrockGovernanceRule {
  /** The id findings carry, e.g. `BedrockGovernance-IAM1` (a finding adds `[<detail>]` for rules that report several). */
  readonly ruleId: string;

  /** The rule's name, e.g. `BedrockDirectModelInvocation`. */
  readonly ruleName: string;

  /** Whether a finding is an error or a warning (cdk-nag 3 fails synthesis on both). */
  readonly level: NagMessageLevel;

  /** What is wrong when the rule reports a finding. */
  readonly info: string;

  /** Why it matters: how it costs money or breaks cost attribution. */
  readonly explanation: string;
}

type RuleCheck = (node: CfnResource, context: NagRuleContext) => NagRuleResult;

interface RuleDefinition {
  readonly suffix: string;
  readonly check: RuleCheck;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
}

const PACK_NAME = 'BedrockGovernance';


/** The rules, in the order they run and are listed. */
const RULES: RuleDefinition[] = [
  {
    suffix: 'IAM1',
    check: BedrockDirectModelInvocation,
    level: NagMessageLevel.ERROR,
    info: 'The IAM policy allows bedrock:InvokeModel or bedrock:InvokeModelWithResponseStream on foundation-model or system inference-profile ARNs without a bedrock:InferenceProfileArn condition that limits the calls to application inference profiles.',
    explanation: 'A call made straight to a foundation model or to a system (cross-Region or global) inference profile goes through no application inference profile, so no cost allocation tag reaches its billing records and the spend cannot be charged to a team. Allow invoke on the team\'s application inference profile ARNs, and on model ARNs only under an ArnEquals bedrock:InferenceProfileArn condition naming those profiles.',
  },
  {
    suffix: 'IAM2',
    check: BedrockWildcardPermissions,
    level: NagMessageLevel.ERROR,
    info: 'The IAM policy allows every Bedrock action (bedrock:* or *) on every Bedrock resource.',
    explanation: 'Every Bedrock action on every resource includes untagged direct model calls, batch jobs and the purchase of provisioned throughput, which is billed by the hour whether it is used or not. Allow the invoke actions on named application inference profiles instead, and any other Bedrock action on the resources it needs.',
  },
  {
    suffix: 'IAM3',
    check: BedrockInvokeOnAllApplicationProfiles,
    level: NagMessageLevel.WARN,
    info: 'The IAM policy allows Bedrock invoke actions on every application inference profile (application-inference-profile/*) instead of named ones.',
    explanation: 'With a wildcard over profiles, a principal can call through any team\'s profile, and the spend is then charged to the team that owns that profile instead of the one that made the calls. Name the profile ARNs, or scope the statement to a team with an aws:ResourceTag condition on the team tag.',
  },
  {
    suffix: 'IAM4',
    check: BedrockMantleAllowed,
    level: NagMessageLevel.ERROR,
    info: 'The IAM policy allows bedrock-mantle actions (Bedrock\'s OpenAI- and Anthropic-compatible endpoint).',
    explanation: 'bedrock-mantle is a separate IAM namespace whose calls model invocation logging does not record, so who used which model, and how many tokens, cannot be audited or charged back from the logs. Allow it only to a principal whose use is accounted for another way, and acknowledge the finding with that reason.',
  },
  {
    suffix: 'IAM5',
    check: BedrockStreamingNonInteractive,
    level: NagMessageLevel.WARN,
    info: 'The role is marked non-interactive but is allowed bedrock:InvokeModelWithResponseStream.',
    explanation: 'Streaming is billed at the same token prices but only helps a person reading the answer as it is written; a backend job that streams keeps its compute and connection busy for the whole generation. Non-interactive work is also the candidate for batch inference at half the on-demand price. Grant non-interactive roles bedrock:InvokeModel only.',
  },
  {
    suffix: 'IAM6',
    check: BedrockPremiumModelLightTask,
    level: NagMessageLevel.WARN,
    info: 'The role is marked for light tasks but can invoke an application inference profile of a model the catalogue rates PREMIUM.',
    explanation: 'Model laddering sends each task to the cheapest model that does it well. Light tasks (classification, extraction, routing, short summaries) on a premium model cost several times more per token: Claude Opus 4.5 lists at 5 times the input and output prices of Claude Haiku 4.5. Grant the role a LIGHT or STANDARD model\'s profile instead.',
  },
  {
    suffix: 'TAG1',
    check: BedrockProfileCostTags,
    level: NagMessageLevel.ERROR,
    info: 'The application inference profile lacks a required cost allocation tag, or the tag\'s value is empty.',
    explanation: 'The tags of an application inference profile are what attributes the calls made through it on the bill; a missing or empty tag leaves that spend out of every per-team budget, Cost Explorer view and chargeback report filtered on it.',
  },
  {
    suffix: 'LOG1',
    check: BedrockInvocationLoggingMissing,
    level: NagMessageLevel.ERROR,
    info: 'Bedrock is used (an application inference profile, or an explicit bedrock:InvokeModel* grant), but no model invocation logging is configured for this account and Region anywhere in the app.',
    explanation: 'Model invocation logging is the only per-call record of the caller, the model and the input, output and cache token counts; without it, usage cannot be audited or charged back below the level of a profile. Configure it once per account and Region, with this library\'s InvocationLogging or an AwsCustomResource calling PutModelInvocationLoggingConfiguration.',
  },
  {
    suffix: 'BUD1',
    check: BedrockTeamWithoutBudget,
    level: NagMessageLevel.WARN,
    info: 'The application inference profile\'s team tag value is not covered by any COST budget in the app that filters on that tag.',
    explanation: 'Without a budget filtered on the team tag, the team\'s model spend is not tracked against any limit and can grow unnoticed until the invoice. Add an AWS Budgets COST budget whose FilterExpression filters on the team tag (or, in the legacy form, CostFilters TagKeyValue such as user:team$search).',
  },
  {
    suffix: 'BUD2',
    check: BudgetNotificationsWithSubscribers,
    level: NagMessageLevel.ERROR,
    info: 'The budget has no notification, or a notification without subscribers.',
    explanation: 'A budget that notifies nobody never warns anyone that actual or forecast spend passed its threshold, so overruns are found on the invoice. Give every budget a notification with at least one SNS or email subscriber.',
  },
  {
    suffix: 'KB1',
    check: BedrockKnowledgeBaseOpenSearchServerless,
    level: NagMessageLevel.WARN,
    info: 'The knowledge base stores its vectors in OpenSearch Serverless.',
    explanation: 'OpenSearch Serverless bills a minimum of search and indexing capacity every hour, even when the knowledge base is idle; S3 Vectors costs roughly 90% less for storage and queries where its higher query latency is acceptable (for example RAG over document archives). Consider an S3_VECTORS storage configuration.',
  },
];

/**
 * A cdk-nag 3 rule pack for Bedrock cost governance. It checks any CDK app, whether or not its
 * resources come from this library: invoke grants that bypass application inference profiles,
 * wildcard Bedrock permissions, untagged profiles, missing invocation logging and budgets, and
 * cost-related design choices.
 *
 * Register it with `Validations.of(app).addPlugins(new BedrockGovernanceChecks())`; in tests,
 * `new BedrockGovernanceChecks().validateScope(stack)` returns the report.
 *
 * Rules that need the whole app (logging for the account and Region, budgets, policies attached to a
 * role) read an index of the app's resources, built once per validation run from the root of the tree.
 */
export class BedrockGovernanceChecks extends NagPack {
  /** The pack name: every rule id starts with `BedrockGovernance-`. */
  public static readonly PACK_NAME = PACK_NAME;

  /** Tag key that marks a role as interactive (`true`) or not (`false`) for rule IAM5. */
  public static readonly INTERACTIVE_TAG_KEY = INTERACTIVE_TAG_KEY;

  /** Tag key that gives the task tier (`LIGHT`, `STANDARD`, `PREMIUM`) of a role for rule IAM6. */
  public static readonly TASK_TIER_TAG_KEY = TASK_TIER_TAG_KEY;

  /** Every rule of the pack, in order, whether or not warnings are on. */
  public static allRules(): BedrockGovernanceRule[] {
    return RULES.map(describe);
  }

  /**
   * Tag the IAM roles in a scope as non-interactive (`bedrock-governance:interactive` = `false`), so
   * that rule IAM5 warns if they are allowed to stream. Pass a role, or a construct such as a Lambda
   * function whose execution role it should mark; only `AWS::IAM::Role` resources are tagged.
   */
  public static markNonInteractive(scope: IConstruct): void {
    Tags.of(scope).add(INTERACTIVE_TAG_KEY, 'false', { includeResourceTypes: ['AWS::IAM::Role'] });
  }

  /**
   * Tag the IAM roles in a scope with the tier of task they serve
   * (`bedrock-governance:task-tier` = `LIGHT`, `STANDARD` or `PREMIUM`); rule IAM6 warns when a
   * `LIGHT` role can invoke a profile of a PREMIUM model. Only `AWS::IAM::Role` resources are tagged.
   */
  public static markTaskTier(scope: IConstruct, tier: ModelTier): void {
    Tags.of(scope).add(TASK_TIER_TAG_KEY, tier, { includeResourceTypes: ['AWS::IAM::Role'] });
  }

  /** The pack name, `BedrockGovernance`. */
  public readonly name: string;

  /** The rules this instance runs (all of them, or the error-level ones when warnings are off). */
  public readonly rules: BedrockGovernanceRule[];

  private readonly enabled: RuleDefinition[];
  private readonly requiredTagKeys: string[];
  private readonly teamTagKey: string;
  private readonly nonInteractiveRoles: ReadonlySet<string>;
  private readonly lightTaskRoles: ReadonlySet<string>;
  private contexts = new Map<IConstruct, NagRuleContext>();
  private readonly byType = new Map<string, RuleDefinition[]>();

  /**
   * @param scope the app, only needed with `writeSuppressionsToCloudFormation`
   * @param props the pack's settings
   */
  constructor(scope?: IConstruct, props: BedrockGovernanceChecksProps = {}) {
    super(scope, props);
    this.name = PACK_NAME;
    this.packName = PACK_NAME;
    const warnings = props.warnings ?? true;
    this.enabled = RULES.filter((rule) => warnings || rule.level === NagMessageLevel.ERROR);
    this.rules = this.enabled.map(describe);
    this.requiredTagKeys = costTagKeyList(props.costTagKeys);
    this.teamTagKey = resolveCostTagKeys(props.costTagKeys).team;
    this.nonInteractiveRoles = new Set(props.nonInteractiveRoles ?? []);
    this.lightTaskRoles = new Set(props.lightTaskRoles ?? []);
  }

  /**
   * Validate a construct tree and return the report (the entry point of tests). The app index is
   * rebuilt on every call, so changes to the tree between calls are seen.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    this.contexts = new Map();
    return super.validateScope(scope);
  }

  protected checkResource(node: CfnResource): void {
    const rules = this.rulesFor(node.cfnResourceType);
    if (rules.length === 0) {
      return;
    }
    const context = this.contextFor(node);
    for (const rule of rules) {
      this.applyRule({
        ruleSuffixOverride: rule.suffix,
        info: rule.info,
        explanation: rule.explanation,
        level: rule.level,
        node,
        rule: (resource: CfnResource) => rule.check(resource, context),
      });
    }
  }

  /** The enabled rules that apply to a resource type, in pack order (computed once per type). */
  private rulesFor(type: string): RuleDefinition[] {
    let rules = this.byType.get(type);
    if (rules === undefined) {
      rules = this.enabled.filter((rule) => RULE_TYPES[rule.suffix]?.has(type) ?? true);
      this.byType.set(type, rules);
    }
    return rules;
  }

  private contextFor(node: CfnResource): NagRuleContext {
    const root = node.node.root;
    let context = this.contexts.get(root);
    if (context === undefined) {
      context = {
        index: new NagAppIndex(root),
        requiredTagKeys: this.requiredTagKeys,
        teamTagKey: this.teamTagKey,
        nonInteractiveRoles: this.nonInteractiveRoles,
        lightTaskRoles: this.lightTaskRoles,
      };
      this.contexts.set(root, context);
    }
    return context;
  }
}

function describe(rule: RuleDefinition): BedrockGovernanceRule {
  return {
    ruleId: `${PACK_NAME}-${rule.suffix}`,
    ruleName: rule.check.name,
    level: rule.level,
    info: rule.info,
    explanation: rule.explanation,
  };
}
