import { Annotations, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct, IConstruct } from 'constructs';
import { BatchInferenceRole } from '../levers/batch-inference-role';
import { ModelLadder, PromptCachingOptions } from '../levers/model-ladder';
import { BedrockActions } from '../models/bedrock-actions';
import { BedrockModel, InferenceRouting } from '../models/bedrock-model';
import { ModelTier } from '../models/pricing';
import { acknowledgeFinding } from '../private/acknowledge';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { watchManagedPolicyQuota } from '../private/managed-policy-quota';
import { validateModel } from '../private/model-validation';
import { iam5ResourceFindingIds } from '../private/nag-ids';
import { PROFILE_NAME_MAX_LENGTH, PROFILE_NAME_PATTERN, TEAM_NAME_PATTERN, isUnresolved } from '../private/validate';
import { ROUTING_WILDCARD_REASON, attachedPolicyGrant, grantInvokeThroughProfiles, invokeStatements, routingWildcardFindingIds } from '../profiles/grants';
import { InvokeGrantOptions, TeamInferenceProfile } from '../profiles/team-inference-profile';
import { resolveCostTagKeys } from '../tags/cost-tag-keys';
import { CostTagKeys, CostTags } from '../tags/cost-tags';
import { GOVERNANCE_POLICY_PATH, INTERACTIVE_TAG_KEY } from '../tags/governance-tags';

/** A team's settings, as passed to `BedrockGovernance.addTeam()`. */
export interface TeamOptions {
  /** The cost center the team's spend is charged to (value of the cost-center tag). */
  readonly costCenter: string;

  /** The environment (value of the environment tag), e.g. `prod`. */
  readonly environment: string;

  /** The models the team may use: one application inference profile is created per model. */
  readonly models: BedrockModel[];

  /**
   * How the team's profiles route requests.
   *
   * @default InferenceRouting.inRegion()
   */
  readonly routing?: InferenceRouting;

  /**
   * More tags for the team's profiles (and so for their billing records).
   *
   * @default - none
   */
  readonly extraTags?: Record<string, string>;

  /**
   * Prefix of the team's profile names, e.g. `prod-`. Profile names are
   * `<prefix><teamName>-<model short name>` and must be unique in the account and Region.
   *
   * @default - no prefix (the `BedrockGovernance` facade passes its own default)
   */
  readonly profileNamePrefix?: string;

  /**
   * Whether people wait on the team's answers (chat, copilots). A non-interactive team (pipelines,
   * classification, nightly jobs) gets non-streaming grants, and its profiles and grantee roles are tagged
   * `bedrock-governance:interactive` = `false` so the nag pack can flag streaming granted to it.
   *
   * @default true
   */
  readonly interactive?: boolean;

  /**
   * A model ladder: one model per tier. Its models are added to the team's models, and a routing
   * manifest (tier -> profile ARN, model, prices, minimum cache prefix, streaming) is published as an
   * SSM parameter that application code reads to pick the cheapest tier first.
   *
   * @default - no ladder
   */
  readonly ladder?: ModelLadder;

  /**
   * The team's use of prompt caching: the expected cache hit ratio and TTL.
   *
   * @default - the team does not rely on prompt caching
   */
  readonly caching?: PromptCachingOptions;
}

/** Options of `Team.grantBatchInference()`. */
export interface BatchInferenceGrantOptions {
  /** The bucket the batch input (JSONL) is read from. */
  readonly inputBucket: s3.IBucket;

  /** The bucket the batch output is written to. */
  readonly outputBucket: s3.IBucket;
}

/** One tier of a published model ladder. */
export interface LadderTier {
  /** The tier. */
  readonly tier: ModelTier;
  /** The model of the tier. */
  readonly model: BedrockModel;
}

/** Properties of a `Team`. */
export interface TeamProps extends TeamOptions {
  /** The team name: letters and digits with single `-` or `_` between them. It is the value of the team tag. */
  readonly teamName: string;

  /**
   * The cost allocation tag key names.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;
}

/** The team invoke policies `grantInvoke()` attached to each principal, across the app (for the cap). */
const INVOKE_POLICIES_ATTACHED = new WeakMap<IConstruct, Set<iam.ManagedPolicy>>();

/**
 * A team: the unit of governance. It owns one application inference profile per model, all carrying
 * the team's cost allocation tags, and an invoke policy that reaches the models only through them.
 */
export class Team extends Construct {
  /**
   * The most team `invokePolicy`s that `grantInvoke()` attaches to one role, user or group (counted over
   * every team of the app); a grant beyond it adds its statements inline. IAM allows 10 managed policies per
   * role, user and group by default; the facade's guard takes one more, leaving 6 for the principal's own
   * policies and for the overflow policies aws-cdk-lib creates when a role's inline policy grows too large.
   * Policies attached by other code cannot be counted before synthesis, so the cap applies to this
   * library's attachments only; at synthesis, a principal it attached to that holds more than 10 managed
   * policies in all gets a warning (`cdk-bedrock-governance:managedPolicyQuota`).
   */
  public static readonly MAX_ATTACHED_INVOKE_POLICIES = 3;

  /** The team name. */
  public readonly teamName: string;
  /** The cost allocation tags on every profile of the team. */
  public readonly costTags: CostTags;
  /** The tag key names. */
  public readonly costTagKeys: CostTagKeys;
  /** How the team's profiles route requests. */
  public readonly routing: InferenceRouting;
  /** The team's models, in the order given. */
  public readonly models: BedrockModel[];
  /** The team's profiles, one per model, in the order of `models`. */
  public readonly profiles: TeamInferenceProfile[];
  /**
   * A managed policy with the team's invoke statements (streaming included when the team is interactive).
   * `grantInvoke()` attaches it to roles, users and groups created in this app; attach it yourself to
   * principals made elsewhere.
   */
  public readonly invokePolicy: iam.ManagedPolicy;
  /** Whether the team is interactive (streaming allowed). */
  public readonly interactive: boolean;
  /**
   * The team's prompt-caching settings.
   *
   * @default - none
   */
  public readonly caching?: PromptCachingOptions;
  /**
   * The ladder's tiers, cheapest first.
   */
  public readonly ladderTiers: LadderTier[];
  /**
   * The SSM parameter holding the ladder manifest (JSON).
   *
   * @default - undefined when the team has no ladder
   */
  public readonly ladderManifest?: ssm.StringParameter;

  /**
   * Called with every grantee of `grantInvoke()` (the facade attaches its guard this way).
   *
   * @internal
   */
  public readonly _grantListeners: Array<(grantee: iam.IGrantable) => void> = [];

  /**
   * Principals (roles, users, groups) for which one of these returns false get the invoke statements
   * inline rather than `invokePolicy` attached (the facade keeps the guard's exempt roles out of the
   * policy, which carries the guard's deny statements).
   *
   * @internal
   */
  public readonly _invokePolicyAttachFilters: Array<(principal: IConstruct) => boolean> = [];

  /**
   * Called with every grantee of `grantBatchInference()` (the facade exempts it from the guard's batch deny).
   *
   * @internal
   */
  public readonly _batchGrantListeners: Array<(grantee: iam.IGrantable) => void> = [];

  private readonly batchRoles = new Map<string, BatchInferenceRole>();

  private readonly profilesByModelId = new Map<string, TeamInferenceProfile>();

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, nonEmptyId(scope, id, props.teamName));
    validateTeamName(this, props.teamName);
    this.teamName = props.teamName;
    this.routing = props.routing ?? InferenceRouting.inRegion();
    this.costTagKeys = props.costTagKeys ?? {};
    this.costTags = {
      team: props.teamName,
      costCenter: props.costCenter,
      environment: props.environment,
      extra: props.extraTags,
    };
    this.interactive = props.interactive ?? true;
    this.caching = props.caching;
    validateCaching(this, props.caching);
    this.ladderTiers = ladderTiers(this, props.ladder);
    this.models = [...props.models];
    for (const { model } of this.ladderTiers) {
      if (!this.models.some((m) => m.modelId === model.modelId)) {
        this.models.push(model);
      }
    }
    validateModels(this, this.models);
    if (!this.interactive) {
      this.costTags = { ...this.costTags, extra: { ...(props.extraTags ?? {}), [INTERACTIVE_TAG_KEY]: 'false' } };
    }
    const prefix = props.profileNamePrefix ?? '';

    this.profiles = this.models.map((model) => {
      const name = `${prefix}${props.teamName}-${model.shortName}`;
      validateTeamProfileName(this, props.teamName, prefix, name);
      const profile = new TeamInferenceProfile(this, model.shortName, {
        inferenceProfileName: name,
        model,
        routing: this.routing,
        costTags: this.costTags,
        costTagKeys: props.costTagKeys,
      });
      this.profilesByModelId.set(model.modelId, profile);
      return profile;
    });

    this.invokePolicy = new iam.ManagedPolicy(this, 'InvokePolicy', {
      path: GOVERNANCE_POLICY_PATH,
      description: `Invoke Bedrock models only through the application inference profiles of team ${props.teamName}`,
      statements: invokeStatements(this, this.profiles, this.interactive),
    });
    for (const ackId of routingWildcardFindingIds(this, this.profiles)) {
      acknowledgeFinding(this.invokePolicy, ackId, ROUTING_WILDCARD_REASON);
    }

    if (this.ladderTiers.length > 0) {
      this.ladderManifest = new ssm.StringParameter(this, 'LadderManifest', {
        parameterName: `/bedrock-governance/${prefix}${props.teamName}/model-ladder`,
        description: `Model ladder of team ${props.teamName}: tier to application inference profile, cheapest first`,
        stringValue: Stack.of(this).toJsonString(this.ladderManifestContent()),
      });
    }
  }

  /**
   * The ladder manifest as an object (tokens for the profile ARNs); the SSM parameter holds it as JSON.
   * Schema version 1: `{ schemaVersion, team, tiers: [{ tier, profileArn, modelId, displayName,
   * inputUsdPerMillionTokens, outputUsdPerMillionTokens, cacheReadUsdPerMillionTokens,
   * cacheWriteUsdPerMillionTokens, minCachePrefixTokens, streaming, pricesAsOf }] }`, tiers cheapest first.
   */
  private ladderManifestContent(): Record<string, unknown> {
    return {
      schemaVersion: 1,
      team: this.teamName,
      tiers: this.ladderTiers.map(({ tier, model }) => {
        const rates = model.effectiveRates(this.routing, this.caching?.cacheWriteTtl);
        return {
          tier,
          profileArn: this.profile(model).inferenceProfileArn,
          modelId: model.modelId,
          displayName: model.displayName,
          inputUsdPerMillionTokens: rates.inputUsdPerMillionTokens,
          outputUsdPerMillionTokens: rates.outputUsdPerMillionTokens,
          cacheReadUsdPerMillionTokens: rates.cacheReadUsdPerMillionTokens,
          cacheWriteUsdPerMillionTokens: rates.cacheWriteUsdPerMillionTokens,
          minCachePrefixTokens: model.minCachePrefixTokens ?? null,
          streaming: this.interactive,
          pricesAsOf: model.pricesAsOf,
        };
      }),
    };
  }

  /**
   * The team's profile for a model.
   *
   * @throws if the model is not one of the team's models
   */
  public profile(model: BedrockModel): TeamInferenceProfile {
    const profile = this.profilesByModelId.get(model.modelId);
    if (!profile) {
      throw new GovernanceValidationError(this,
        `team '${this.teamName}' has no profile for model '${model.modelId}'; its models are: ${this.models.map((m) => m.modelId).join(', ')}. Add the model to the team's models, or ask for one of those`);
    }
    return profile;
  }

  /**
   * Acknowledge, on the given construct and with a stated reason, exactly the `AwsSolutions-IAM5`
   * findings that this team's grants cause: the foundation model in every Region for cross-Region and
   * global routing (`arn:<partition>:bedrock:*::foundation-model/<id>`), and the batch job ARNs
   * (`model-invocation-job/*`). Call it on a role you granted to when you run cdk-nag's
   * `AwsSolutionsChecks`; nothing else is acknowledged. A principal that `grantInvoke()` gave the team's
   * `invokePolicy` holds the routing wildcard in that policy, where the team acknowledges it itself; the
   * role's own findings are then only those of inline grants and batch grants.
   */
  public acknowledgeGrantWildcards(scope: IConstruct): void {
    for (const id of routingWildcardFindingIds(this, this.profiles)) {
      acknowledgeFinding(scope, id, ROUTING_WILDCARD_REASON);
    }
    for (const id of iam5ResourceFindingIds(this, [this.batchJobArn()])) {
      acknowledgeFinding(scope, id,
        `Batch job ids are chosen by Bedrock at creation, so jobs are named by pattern; creating one requires the ${this.teamTagKey()} tag = ${this.teamName}`);
    }
  }

  /**
   * Allow the grantee to run batch inference (50% cheaper) for this team: create jobs on the team's
   * models only when the job carries the team tag (`aws:RequestTag/<team key>` = the team name), read and
   * stop them, and pass the returned service role (`iam:PassRole` on that role only, to Bedrock only).
   * The facade exempts the grantee (when it is a role) from its guard's batch deny.
   *
   * IAM cannot require that a job names a team profile as its model: `CreateModelInvocationJob` authorizes
   * only foundation-model, custom-model and model-invocation-job resources. Attribution of batch spend rests
   * on the job's team tag; whether job tags reach cost allocation is UNVERIFIED.
   * `ListModelInvocationJobs` needs `Resource: *` and is not granted.
   *
   * @returns the service role Bedrock assumes for the jobs (pass `roleArn` to CreateModelInvocationJob)
   */
  public grantBatchInference(grantee: iam.IGrantable, options: BatchInferenceGrantOptions): BatchInferenceRole {
    const key = `${options.inputBucket.node.addr.slice(0, 8)}${options.outputBucket.node.addr.slice(0, 8)}`;
    let serviceRole = this.batchRoles.get(key);
    if (!serviceRole) {
      serviceRole = new BatchInferenceRole(this, `BatchServiceRole${key}`, {
        inputBucket: options.inputBucket,
        outputBucket: options.outputBucket,
        profiles: this.profiles,
      });
      this.batchRoles.set(key, serviceRole);
    }
    const principal = grantee.grantPrincipal;
    principal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [BedrockActions.CREATE_BATCH_JOB, 'bedrock:TagResource'],
      resources: [this.batchJobArn()],
      conditions: { StringEquals: { [`aws:RequestTag/${this.teamTagKey()}`]: this.teamName } },
    }));
    const modelArns = [...new Set(this.profiles.flatMap((p) =>
      p.routing._modelResourceArns(this, p.model).filter((arn) => arn.includes(':foundation-model/'))))];
    principal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [BedrockActions.CREATE_BATCH_JOB], resources: modelArns }));
    principal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['bedrock:GetModelInvocationJob', 'bedrock:StopModelInvocationJob'],
      resources: [this.batchJobArn()],
    }));
    principal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: [BedrockActions.INFERENCE_PROFILE_READ],
      resources: this.profiles.map((p) => p.inferenceProfileArn),
    }));
    principal.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [serviceRole.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
    }));
    for (const listener of this._batchGrantListeners) {
      listener(grantee);
    }
    return serviceRole;
  }

  private batchJobArn(): string {
    const stack = Stack.of(this);
    return `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:model-invocation-job/*`;
  }

  private teamTagKey(): string {
    return resolveCostTagKeys(this.costTagKeys).team;
  }

  /**
   * Allow the principal to read the ladder manifest (SSM `GetParameter`).
   *
   * @throws if the team has no ladder
   */
  public grantReadLadder(grantee: iam.IGrantable): iam.Grant {
    if (!this.ladderManifest) {
      throw new GovernanceValidationError(this,
        `team '${this.teamName}' has no ladder, so there is no manifest to read. Pass ladder: { light, standard, premium } to the team`);
    }
    return this.ladderManifest.grantRead(grantee);
  }

  /**
   * Allow the grantee to invoke the team's models through the team's profiles, and only through them.
   *
   * When the grantee is an `iam.Role`, `iam.User` or `iam.Group` created in this app and the grant streams
   * as the team does (`streaming` unset, or equal to the team's `interactive`), the team's `invokePolicy` is
   * attached to it (`addManagedPolicy`): the principal holds the team's invoke statements (and, from the
   * facade, the guard's deny statements) once, in the team's managed policy, and not again in its own
   * `DefaultPolicy`. Otherwise (principals imported by ARN or name, other grantables, a non-streaming grant
   * of an interactive team, roles the facade's guard exempts, or a principal that already holds
   * `Team.MAX_ATTACHED_INVOKE_POLICIES` team invoke policies) the same statements are added to the
   * principal's own policy, as `iam.Grant.addToPrincipal` does.
   *
   * A role granted by a non-interactive team is tagged `bedrock-governance:interactive` = `false`.
   *
   * @returns a successful grant whose principal statements are the invoke statements; `applyBefore()`
   * orders a construct after the policy that holds them (the principal's `DefaultPolicy`, or the principal
   * itself when `invokePolicy` is attached: its `ManagedPolicyArns` names the policy)
   */
  public grantInvoke(grantee: iam.IGrantable, options: InvokeGrantOptions = {}): iam.Grant {
    if (!this.interactive && options.streaming === true) {
      throw new GovernanceValidationError(this,
        `invalid streaming true for team '${this.teamName}': the team is non-interactive (interactive: false), so its grants do not stream. Remove streaming: true, or make the team interactive`);
    }
    const streaming = options.streaming ?? this.interactive;
    // invokePolicy streams iff the team is interactive: only a grant that streams the same way can use it
    const grant = (streaming === this.interactive ? this.attachInvokePolicy(grantee) : undefined)
      ?? grantInvokeThroughProfiles(this, grantee, this.profiles, streaming);
    if (!this.interactive) {
      const principal = grantee.grantPrincipal as unknown as IConstruct;
      if (principal instanceof iam.Role) {
        Tags.of(principal).add(INTERACTIVE_TAG_KEY, 'false');
      } else {
        Annotations.of(this).addWarningV2('cdk-bedrock-governance:nonInteractiveGranteeNotTagged',
          `Team '${this.teamName}' is non-interactive, but the grantee is not a role created in this app, so it cannot be tagged ${INTERACTIVE_TAG_KEY}=false for the nag pack`);
      }
    }
    for (const listener of this._grantListeners) {
      listener(grantee);
    }
    return grant;
  }

  /**
   * Attach `invokePolicy` to the grantee when it is a role, user or group of this app that may hold it.
   *
   * @returns the grant, or undefined when the statements must go inline
   */
  private attachInvokePolicy(grantee: iam.IGrantable): iam.Grant | undefined {
    const principal = grantee.grantPrincipal as unknown;
    if (!(principal instanceof iam.Role || principal instanceof iam.User || principal instanceof iam.Group)) {
      return undefined;
    }
    if (this._invokePolicyAttachFilters.some((attachable) => !attachable(principal))) {
      return undefined;
    }
    const held = INVOKE_POLICIES_ATTACHED.get(principal) ?? new Set<iam.ManagedPolicy>();
    if (!held.has(this.invokePolicy)) {
      if (held.size >= Team.MAX_ATTACHED_INVOKE_POLICIES) {
        Annotations.of(this).addInfo(
          `${principal.node.path} already holds ${held.size} team invoke policies (Team.MAX_ATTACHED_INVOKE_POLICIES), so team '${this.teamName}' adds its invoke statements to its own policy instead: IAM allows 10 managed policies per principal by default`);
        return undefined;
      }
      held.add(this.invokePolicy);
      INVOKE_POLICIES_ATTACHED.set(principal, held);
      principal.addManagedPolicy(this.invokePolicy);
      watchManagedPolicyQuota(principal);
    }
    // The attachment lives in the principal's ManagedPolicyArns, so the principal's resource is created (and
    // updated) only after the policy it names: a construct ordered after the principal sees the permissions.
    return attachedPolicyGrant(grantee, invokeStatements(this, this.profiles, this.interactive), principal);
  }
}

/**
 * The construct id, checked before the construct exists: CDK's own error for an empty id ("Only root constructs
 * may have an empty ID") names neither the team nor the prop. `addTeam` uses the team name as the id.
 */
function nonEmptyId(scope: Construct, id: string, teamName: string): string {
  if (id === '') {
    validateTeamName(scope, teamName);
    throw invalidProp(scope, 'id', id, 'a construct id cannot be empty', `Pass the team's name, '${teamName}'`);
  }
  return id;
}

function validateTeamName(scope: Construct, teamName: string): void {
  if (isUnresolved(teamName)) {
    throw invalidProp(scope, 'teamName', teamName, 'team names are used in construct ids and profile names and cannot be tokens', 'Pass a literal string');
  }
  if (!TEAM_NAME_PATTERN.test(teamName)) {
    throw invalidProp(scope, 'teamName', teamName,
      'team names may contain only letters and digits, with single \'-\' or \'_\' between them',
      `Use e.g. '${teamName.replace(/[^0-9a-zA-Z]+/g, '-').replace(/^-+|-+$/g, '') || 'my-team'}'`);
  }
}

function validateModels(scope: Construct, models: BedrockModel[]): void {
  if (models.length === 0) {
    throw invalidProp(scope, 'models', [], 'a team needs at least one model', 'Pass e.g. models: [BedrockModel.CLAUDE_HAIKU_4_5]');
  }
  const seen = new Map<string, number>();
  const shortNames = new Map<string, string>();
  models.forEach((model, index) => {
    validateModel(scope, `models[${index}]`, model);
    const first = seen.get(model.modelId);
    if (first !== undefined) {
      throw invalidProp(scope, `models[${index}]`, model.modelId, `the model is already models[${first}]`, 'List each model once');
    }
    seen.set(model.modelId, index);
    const other = shortNames.get(model.shortName);
    if (other !== undefined) {
      throw invalidProp(scope, `models[${index}].shortName`, model.shortName, `'${other}' has the same short name, and short names name the profiles`, 'Give one of the models another shortName');
    }
    shortNames.set(model.shortName, model.modelId);
  });
}

function validateTeamProfileName(scope: Construct, teamName: string, prefix: string, name: string): void {
  if (isUnresolved(prefix)) {
    return;
  }
  if (name.length > PROFILE_NAME_MAX_LENGTH) {
    const room = PROFILE_NAME_MAX_LENGTH - (name.length - teamName.length);
    throw invalidProp(scope, 'teamName', teamName,
      `the profile name '${name}' would be ${name.length} characters, over the limit of ${PROFILE_NAME_MAX_LENGTH}`,
      room > 0 ? `Use a team name of at most ${room} characters or a shorter profileNamePrefix` : 'Use a shorter profileNamePrefix');
  }
  if (!PROFILE_NAME_PATTERN.test(name)) {
    throw invalidProp(scope, 'profileNamePrefix', prefix,
      `the profile name '${name}' breaks the pattern ^([0-9a-zA-Z][ _-]?)+$ (no '.', ':' or doubled separators)`,
      'Use letters and digits with single \'-\' or \'_\', e.g. \'prod-\'');
  }
}

const TIER_ORDER: Array<[keyof ModelLadder, ModelTier]> = [['light', ModelTier.LIGHT], ['standard', ModelTier.STANDARD], ['premium', ModelTier.PREMIUM]];

function ladderTiers(scope: Construct, ladder: ModelLadder | undefined): LadderTier[] {
  if (ladder === undefined) {
    return [];
  }
  const tiers: LadderTier[] = [];
  for (const [slot, tier] of TIER_ORDER) {
    const model = ladder[slot];
    if (model === undefined) {
      continue;
    }
    if (model.tier !== tier) {
      throw invalidProp(scope, `ladder.${slot}`, model.modelId,
        `the catalogue rates ${model.displayName} ${model.tier}, not ${tier}`,
        `Put it in ladder.${TIER_ORDER.find(([, t]) => t === model.tier)![0]}, or pick a ${tier} model`);
    }
    tiers.push({ tier, model });
  }
  if (tiers.length === 0) {
    throw invalidProp(scope, 'ladder', {}, 'a ladder needs at least one tier', 'Pass e.g. ladder: { light: BedrockModel.CLAUDE_HAIKU_4_5, standard: BedrockModel.CLAUDE_SONNET_4_5 }');
  }
  return tiers;
}

function validateCaching(scope: Construct, caching: PromptCachingOptions | undefined): void {
  if (caching === undefined || isUnresolved(caching.expectedHitRatio)) {
    return;
  }
  const r = caching.expectedHitRatio;
  if (!Number.isFinite(r) || r <= 0 || r > 1) {
    throw invalidProp(scope, 'caching.expectedHitRatio', r, 'the expected cache hit ratio is a fraction in (0, 1]', 'Pass e.g. 0.8 when 80% of input tokens should come from the cache');
  }
}
