import { Construct } from 'constructs';
import { InferenceRouting } from './models/routing';
import { GovernanceValidationError } from './private/errors';
import { CostTagKeys } from './teams/cost-tags';
import { Team, TeamOptions } from './teams/team';

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
}

/**
 * Bedrock governance for a set of teams: the facade that composes the library's constructs.
 *
 * Each `addTeam()` creates the team's tagged application inference profiles and its invoke policy.
 */
export class BedrockGovernance extends Construct {
  /** The cost allocation tag key names. */
  public readonly costTagKeys: CostTagKeys;

  private readonly teamsByName = new Map<string, Team>();
  private readonly props: BedrockGovernanceProps;

  constructor(scope: Construct, id: string, props: BedrockGovernanceProps = {}) {
    super(scope, id);
    this.props = props;
    this.costTagKeys = props.costTagKeys ?? {};
  }

  /** The teams, in the order they were added. */
  public get teams(): Team[] {
    return [...this.teamsByName.values()];
  }

  /**
   * Add a team. Its construct id is the team name, so renaming a team replaces its resources.
   */
  public addTeam(teamName: string, options: TeamOptions): Team {
    const existing = this.teamsByName.get(teamName);
    if (existing) {
      throw new GovernanceValidationError(this,
        `invalid teamName '${teamName}': a team of that name was already added (${existing.node.path}). Give each team a unique name`);
    }
    const team = new Team(this, teamName, {
      ...options,
      teamName,
      routing: options.routing ?? this.props.defaultRouting,
      profileNamePrefix: options.profileNamePrefix ?? this.props.profileNamePrefix,
      costTagKeys: this.costTagKeys,
    });
    this.teamsByName.set(teamName, team);
    return team;
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
}
