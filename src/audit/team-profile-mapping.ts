import { Stack, Token } from 'aws-cdk-lib';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { BedrockModel, InferenceRouting } from '../models/bedrock-model';
import { CacheTtl } from '../models/pricing';
import { RoutingKind } from '../models/routing';
import { GovernanceValidationError } from '../private/errors';
import { measureWithProperties } from '../private/placement-measure';
import { Team } from '../teams/team';
import { hasOnlyStringTokens } from './private/json-tokens';
import { teamDocument } from './private/mapping-format';

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
 *
 * The value is a team document (version 2 of the format): the team's fields once, then each profile's id and
 * model, e.g. `{"version":2,"team":"search","routing":"us","interactive":true,"cacheWriteTtl":"5m","profiles":[{"profile":"<id>","modelId":"..."}]}`.
 * The `report` command also reads the one-object-per-profile form that earlier versions wrote.
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
    const teamFields = {
      team: team.teamName,
      routing: routingName(team.routing),
      interactive: team.interactive,
      cacheWriteTtl: team.caching?.cacheWriteTtl === CacheTtl.ONE_HOUR ? '1h' : '5m',
    };
    const profiles = team.profiles.map((profile) => {
      if (!catalogue.has(profile.model.modelId)) {
        custom.set(profile.model.modelId, profile.model);
      }
      return {
        profile: profile.inferenceProfileId,
        team: teamFields.team,
        modelId: profile.model.modelId,
        routing: routingName(profile.routing),
        interactive: teamFields.interactive,
        cacheWriteTtl: teamFields.cacheWriteTtl,
      };
    });
    const models = [...custom.values()].map((m) => ({
      modelId: m.modelId, provider: m.provider, tier: m.tier, pricing: m.pricing, pricesAsOf: m.pricesAsOf,
    }));
    const teamDoc = teamDocument(teamFields, profiles);
    const document = models.length > 0 ? { ...teamDoc, models } : teamDoc;
    // The deployed length: every profile id is a 12-character token until deploy time.
    const estimate = deployedLength(document);
    if (estimate > ADVANCED_LIMIT) {
      throw new GovernanceValidationError(this,
        `the profile mapping of team '${team.teamName}' needs about ${estimate} characters, more than an SSM parameter holds (${ADVANCED_LIMIT}). Split the team's models across teams, or turn publishProfileMapping off and write the mapping file by hand`);
    }
    this.parameter = new ssm.StringParameter(this, 'Resource', {
      parameterName: `${props.parameterPath}/${team.teamName}`,
      description: `Bedrock profiles of team ${team.teamName}, read by cdk-bedrock-governance report --mapping-parameter`,
      // Plain JSON with the profile ids as token strings, when nothing else is a token: CloudFormation gets the
      // same Fn::Join as from Stack.toJsonString, without a re-stringification at every resolution.
      stringValue: hasOnlyStringTokens(document) ? JSON.stringify(document) : Stack.of(this).toJsonString(document),
      tier: estimate > STANDARD_LIMIT ? ssm.ParameterTier.ADVANCED : ssm.ParameterTier.STANDARD,
    });
    // Team placement sizes the next teams from this team's template bytes: it measures the parameter as versions
    // before the team document wrote it (one object per profile, every field in it, and a longer description), so
    // that no team of a deployed sharded app moves into another nested stack.
    measureWithProperties(this.parameter.node.defaultChild as ssm.CfnParameter, () => {
      const earlier = models.length > 0 ? { profiles, models } : { profiles };
      return {
        Description: `Bedrock application inference profiles of team ${team.teamName}, for cdk-bedrock-governance report --mapping-parameter`,
        Value: hasOnlyStringTokens(earlier) ? JSON.stringify(earlier) : Stack.of(this).toJsonString(earlier),
        Tier: deployedLength(earlier) > STANDARD_LIMIT ? ssm.ParameterTier.ADVANCED : ssm.ParameterTier.STANDARD,
      };
    });
  }
}

/** The deployed length of a mapping document: every profile id is a 12-character token until deploy time. */
function deployedLength(document: { readonly profiles: object[] }): number {
  return JSON.stringify({ ...document, profiles: document.profiles.map((p) => ({ ...p, profile: 'x'.repeat(PROFILE_ID_LENGTH) })) }).length;
}

/** The routing as the mapping names it: `in-region`, `global` or the cross-Region geography. */
function routingName(routing: InferenceRouting): string {
  return routing.kind === RoutingKind.CROSS_REGION ? routing.geo! : routing.kind === RoutingKind.GLOBAL ? 'global' : 'in-region';
}
