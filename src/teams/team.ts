import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { CostTagKeys, CostTags } from './cost-tags';
import { BedrockModel } from '../models/bedrock-model';
import { InferenceRouting } from '../models/routing';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { ROUTING_WILDCARD_REASON, grantInvokeThroughProfiles, invokeStatements, routingWildcardFindingIds } from '../private/grants';
import { validateModel } from '../private/model-validation';
import { PROFILE_NAME_MAX_LENGTH, PROFILE_NAME_PATTERN, TEAM_NAME_PATTERN, isUnresolved } from '../private/validate';
import { InvokeGrantOptions, TeamInferenceProfile } from '../profiles/team-inference-profile';

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

/**
 * A team: the unit of governance. It owns one application inference profile per model, all carrying
 * the team's cost allocation tags, and an invoke policy that reaches the models only through them.
 */
export class Team extends Construct {
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
   * A managed policy with the team's invoke statements (streaming included), for roles created
   * outside the CDK code paths that call `grantInvoke`.
   */
  public readonly invokePolicy: iam.ManagedPolicy;

  /**
   * Called with every grantee of `grantInvoke()` (the facade attaches its guard this way).
   *
   * @internal
   */
  public readonly _grantListeners: Array<(grantee: iam.IGrantable) => void> = [];

  private readonly profilesByModelId = new Map<string, TeamInferenceProfile>();

  constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
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
    this.models = [...props.models];
    validateModels(this, this.models);
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
      description: `Invoke Bedrock models only through the application inference profiles of team ${props.teamName}`,
      statements: invokeStatements(this, this.profiles, true),
    });
    this.acknowledgeRoutingWildcards(this.invokePolicy);
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
   * findings that this team's cross-Region or global routing causes (`arn:<partition>:bedrock:*::foundation-model/<id>`).
   * Call it on a role you granted invoke to when you run cdk-nag's `AwsSolutionsChecks`; nothing else is acknowledged.
   * In-Region teams cause no such finding, and the call then does nothing.
   */
  public acknowledgeRoutingWildcards(scope: IConstruct): void {
    for (const id of routingWildcardFindingIds(this, this.profiles)) {
      Validations.of(scope).acknowledge({ id, reason: ROUTING_WILDCARD_REASON });
    }
  }

  /**
   * Allow the grantee to invoke the team's models through the team's profiles, and only through them.
   */
  public grantInvoke(grantee: iam.IGrantable, options: InvokeGrantOptions = {}): iam.Grant {
    const grant = grantInvokeThroughProfiles(this, grantee, this.profiles, options.streaming ?? true);
    for (const listener of this._grantListeners) {
      listener(grantee);
    }
    return grant;
  }
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
