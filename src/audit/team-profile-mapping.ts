import { Stack, Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { BedrockModel } from '../models/bedrock-model';
import { CacheTtl } from '../models/pricing';
import { RoutingKind } from '../models/routing';
import { GovernanceValidationError } from '../private/errors';
import { Team } from '../teams/team';
import { hasOnlyStringTokens } from './private/json-tokens';

/** Properties of `TeamProfileMapping`. */
export interface TeamProfileMappingProps {
  /** The team whose profiles are published. */
  readonly team: Team;

  /**
   * The SSM parameter path the mapping goes under, without a trailing `/`; the parameter is
   * `<parameterPath>/<team name>`. `cdk-bedrock-governance report --mapping-parameter <parameterPath>` reads every
   * team's parameter under it.
   */
  readonly parameterPath: string;
}

/** Standard SSM parameters hold 4 KB; advanced ones 8 KB. */
const STANDARD_LIMIT = 4096;
const ADVANCED_LIMIT = 8192;

/** Bedrock application inference profile ids are 12 characters; a token is counted at that length. */
const PROFILE_ID_LENGTH = 12;

/**
 * Publishes a team's profiles (profile id, team, model, routing, streaming, cache TTL) as an SSM parameter, in the
 * format of the `report` command's mapping file, so that `npx cdk-bedrock-governance report --mapping-parameter
 * <path>` maps invocation-log records to teams without a hand-written file. `BedrockGovernance` creates one per
 * team (`publishProfileMapping`).
 */
export class TeamProfileMapping extends Construct {
  /** The parameter. */
  public readonly parameter: ssm.StringParameter;

  constructor(scope: Construct, id: string, props: TeamProfileMappingProps) {
    super(scope, id);
    const team = props.team;
    if (!Token.isUnresolved(props.parameterPath) && !/^\/[a-zA-Z0-9_.\-/]*[a-zA-Z0-9_.-]$/.test(props.parameterPath)) {
      throw new GovernanceValidationError(this,
        `invalid parameterPath '${props.parameterPath}': an SSM parameter path starts with '/', has no trailing '/' and holds only letters, digits and _ . - /. Pass e.g. '/bedrock-governance/prod-profile-mapping'`);
    }
    const custom = new Map<string, BedrockModel>();
    const catalogue = new Set(BedrockModel.catalogue().map((m) => m.modelId));
    const profiles = team.profiles.map((profile) => {
      if (!catalogue.has(profile.model.modelId)) {
        custom.set(profile.model.modelId, profile.model);
      }
      return {
        profile: profile.inferenceProfileId,
        team: team.teamName,
        modelId: profile.model.modelId,
        routing: profile.routing.kind === RoutingKind.CROSS_REGION ? profile.routing.geo
          : profile.routing.kind === RoutingKind.GLOBAL ? 'global' : 'in-region',
        interactive: team.interactive,
        cacheWriteTtl: team.caching?.cacheWriteTtl === CacheTtl.ONE_HOUR ? '1h' : '5m',
      };
    });
    const models = [...custom.values()].map((m) => ({
      modelId: m.modelId, provider: m.provider, tier: m.tier, pricing: m.pricing, pricesAsOf: m.pricesAsOf,
    }));
    const document = models.length > 0 ? { profiles, models } : { profiles };
    // The deployed length: every profile id is a 12-character token until deploy time.
    const estimate = JSON.stringify({ ...document, profiles: profiles.map((p) => ({ ...p, profile: 'x'.repeat(PROFILE_ID_LENGTH) })) }).length;
    if (estimate > ADVANCED_LIMIT) {
      throw new GovernanceValidationError(this,
        `the profile mapping of team '${team.teamName}' needs about ${estimate} characters, more than an SSM parameter holds (${ADVANCED_LIMIT}). Split the team's models across teams, or turn publishProfileMapping off and write the mapping file by hand`);
    }
    this.parameter = new ssm.StringParameter(this, 'Resource', {
      parameterName: `${props.parameterPath}/${team.teamName}`,
      description: `Bedrock application inference profiles of team ${team.teamName}, for cdk-bedrock-governance report --mapping-parameter`,
      // Plain JSON with the profile ids as token strings, when nothing else is a token: CloudFormation gets the
      // same Fn::Join as from Stack.toJsonString, without a re-stringification at every resolution.
      stringValue: hasOnlyStringTokens(document) ? JSON.stringify(document) : Stack.of(this).toJsonString(document),
      tier: estimate > STANDARD_LIMIT ? ssm.ParameterTier.ADVANCED : ssm.ParameterTier.STANDARD,
    });
  }
}
