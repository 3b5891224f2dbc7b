import { NestedStack, Stack, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { countResources, estimatedTemplateBytes, renderedTemplateBytes, shapeKey } from './private/measure';
import { countProfiles, DEFAULT_PROFILE_QUOTA } from './profile-quota';
import { GovernanceDashboard } from '../monitoring/governance-dashboard';
import { invalidProp } from '../private/errors';
import { Team } from '../teams/team';

/** CloudFormation's resource limit per stack. */
const CFN_MAX_RESOURCES = 500;
/** Default resource budget per stack. */
const DEFAULT_RESOURCE_BUDGET = 450;
/** Default template byte budget per stack (CloudFormation's limit for a template in S3 is 1 MB). */
const DEFAULT_TEMPLATE_BUDGET_BYTES = 800_000;
/** CloudFormation's limit for a template body stored in S3 (1 MB), the most a template byte budget may be. */
const CFN_MAX_TEMPLATE_BYTES = 1_048_576;
/** Template bytes a dashboard grows by per team with the team's row, and in the summary only (rounded up). */
const DASHBOARD_BYTES_PER_TEAM_WITH_ROW = 20_000;
const DASHBOARD_BYTES_PER_TEAM = 7_000;
/** aws-cdk-lib's context key for writing templates without indentation. */
const SUPPRESS_TEMPLATE_INDENTATION_CONTEXT = '@aws-cdk/core:suppressTemplateIndentation';
/** Template bytes a first team is assumed to take before one has been measured. */
const FIRST_TEAM_BYTES_ESTIMATE = 40_000;

/** The facade's scale settings (the props of the same names on `BedrockGovernance`). */
export interface TeamPlacementProps {
  readonly sharding?: boolean;
  readonly resourceBudgetPerStack?: number;
  readonly templateBudgetBytes?: number;
  readonly profileQuota?: number;
  readonly suppressNestedTemplateIndentation?: boolean;
  /** The facade's main dashboard, once it exists. */
  readonly mainDashboard: () => GovernanceDashboard | undefined;
}

/** What placement needs to know of a team before it exists (the first team's resources are estimated from it). */
export interface TeamShape {
  readonly models: number;
  readonly budget: boolean;
  readonly enforcement: boolean;
  readonly anomalies: boolean;
}

/**
 * Places a facade's teams: in the facade's own stack while it has room, then in nested stacks of teams
 * (`TeamsN`), then in groups of nested stacks (`GroupN`), within a resource budget and a template-byte
 * budget per stack. Placement depends only on the teams placed before, so appending a team never moves
 * another. Nothing is rendered to place a team but the first team of each shape: a stack's other resources are
 * estimated from their types. Also counts profiles against the account's quota and checks every stack's size at synth.
 */
export class TeamPlacement {
  /** The nested stacks teams were placed in, in order. */
  public readonly shards: NestedStack[] = [];

  private readonly shardDashboards = new Map<NestedStack, GovernanceDashboard>();
  private readonly groups: NestedStack[] = [];
  private readonly measuredTeams = new WeakSet<Team>();
  private readonly stackBytes = new Map<Stack, number>();
  /** Template bytes of the first team of each shape, its name, and how often the name occurs in its resources. */
  private readonly shapeBytes = new Map<string, { bytes: number; name: string; occurrences: number }>();
  private lastTeam?: Team;
  private lastTeamBytes = 0;

  constructor(private readonly facade: Construct, private readonly props: TeamPlacementProps) {
    validateScaleProps(facade, props);
    facade.node.addValidation({ validate: () => this.validateStackSizes() });
  }

  /** The dashboards of the nested stacks, in order. */
  public get nestedDashboards(): GovernanceDashboard[] {
    return [...this.shardDashboards.values()];
  }

  /**
   * Where the next team goes: the facade itself while its stack has room, then the last nested stack
   * while it has room, then a new nested stack. The room a team needs is estimated from the team before
   * it (its resources, counted when the next team is placed), so placement depends only on the teams
   * added before: appending a team never moves another.
   */
  public place(shape: TeamShape): Construct {
    const budget = this.props.resourceBudgetPerStack ?? DEFAULT_RESOURCE_BUDGET;
    const byteBudget = this.props.templateBudgetBytes ?? DEFAULT_TEMPLATE_BUDGET_BYTES;
    const previous = this.lastTeam;
    if (previous && !this.measuredTeams.has(previous)) {
      const previousStack = Stack.of(previous);
      this.lastTeamBytes = this.teamBytes(previous);
      this.measuredTeams.add(previous);
      this.stackBytes.set(previousStack, (this.stackBytes.get(previousStack) ?? 0) + this.lastTeamBytes + this.dashboardBytesPerTeam(previousStack));
    }
    const estimate = previous ? countResources(previous, Stack.of(previous)) : firstTeamEstimate(shape);
    const current = this.shards.length === 0 ? this.facade : this.shards[this.shards.length - 1];
    const currentStack = Stack.of(current);
    if (!this.stackBytes.has(currentStack)) {
      // what the stack holds besides teams, estimated from resource types: nothing is rendered before synthesis
      this.stackBytes.set(currentStack, estimatedTemplateBytes(currentStack, currentStack));
    }
    const used = countResources(currentStack, currentStack);
    const usedBytes = this.stackBytes.get(currentStack)!;
    const byteEstimate = (previous ? this.lastTeamBytes : FIRST_TEAM_BYTES_ESTIMATE) + this.dashboardBytesPerTeam(currentStack);
    // The facade's own stack keeps room for the nested stacks themselves (one resource each).
    const room = current === this.facade ? budget - parentReserve(budget) : budget;
    const fits = used + estimate <= room && usedBytes + byteEstimate <= byteBudget;
    if (fits || !(this.props.sharding ?? true)) {
      return current;
    }
    if (this.shards.length > 0 && used === 0) {
      return current;
    }
    const shard = new NestedStack(this.shardHost(budget), `Teams${this.shards.length + 1}`, {
      description: `Bedrock governance teams, part ${this.shards.length + 1} (placed by BedrockGovernance)`,
      suppressTemplateIndentation: this.suppressIndentation(),
    });
    this.shards.push(shard);
    const dashboard = this.props.mainDashboard();
    // At this scale, a row per team would take the facade's stack past CloudFormation's 1 MB template limit.
    dashboard?._disableTeamRows();
    if (dashboard) {
      // Each nested stack gets its own dashboard of its teams (the summary rows only: a team's rows would pass
      // CloudWatch's dashboard limits at this scale); the main dashboard's SEARCH graphs cover every team, so the
      // nested dashboards do not repeat them.
      const shardDashboard = new GovernanceDashboard(shard, 'Dashboard', { teamRows: false });
      shardDashboard._omitAccountWidgets();
      this.shardDashboards.set(shard, shardDashboard);
    }
    return shard;
  }

  /**
   * Record a team just created where `place()` said: its profiles count against the account's quota
   * (a synth error past it), and the next team's room is estimated from it.
   */
  public placed(team: Team): void {
    countProfiles(this.facade, team.profiles.length, this.props.profileQuota ?? DEFAULT_PROFILE_QUOTA);
    this.lastTeam = team;
  }

  /** The dashboard that shows a team: its nested stack's, or the main one. */
  public dashboardOf(team: Team): GovernanceDashboard | undefined {
    const stack = Stack.of(team);
    return stack instanceof NestedStack && this.shardDashboards.has(stack) ? this.shardDashboards.get(stack) : this.props.mainDashboard();
  }

  /**
   * Where the next nested stack of teams goes: the facade while its stack has room for one more resource,
   * then the last group (a nested stack holding only nested stacks of teams) while it has room, then a new group.
   * At the default budget that is room for about 200 groups of 450 nested stacks.
   */
  private shardHost(budget: number): Construct {
    const parent = Stack.of(this.facade);
    if (this.groups.length === 0 && countResources(parent, parent) + 1 <= budget) {
      return this.facade;
    }
    const last = this.groups[this.groups.length - 1];
    if (last && countResources(last, last) + 1 <= budget) {
      return last;
    }
    const group = new NestedStack(this.facade, `Group${this.groups.length + 1}`, {
      description: `Bedrock governance team stacks, group ${this.groups.length + 1} (placed by BedrockGovernance)`,
      suppressTemplateIndentation: this.suppressIndentation(),
    });
    this.groups.push(group);
    return group;
  }

  /**
   * The template bytes of a team: rendered once for the first team of each shape (the same resource types at
   * the same paths below the team), then taken from that team, corrected for the length of the team's name.
   */
  private teamBytes(team: Team): number {
    const key = shapeKey(team);
    const known = this.shapeBytes.get(key);
    if (known) {
      return known.bytes + known.occurrences * (team.teamName.length - known.name.length);
    }
    const { bytes, text } = renderedTemplateBytes(team, Stack.of(team));
    this.shapeBytes.set(key, { bytes, name: team.teamName, occurrences: text.split(team.teamName).length - 1 });
    return bytes;
  }

  /**
   * Template bytes the dashboard of a stack grows by per team. Rounded up from the measurements of an earlier
   * body (a team of three models then took 18.7 KB with its row, 6.3 KB in the summary only; the lighter body
   * takes about 3.1 KB in the summary only): kept, as lowering them would move teams of deployed sharded apps
   * into other nested stacks.
   */
  private dashboardBytesPerTeam(stack: Stack): number {
    if (stack === Stack.of(this.facade)) {
      return this.props.mainDashboard() ? (this.shards.length === 0 ? DASHBOARD_BYTES_PER_TEAM_WITH_ROW : DASHBOARD_BYTES_PER_TEAM) : 0;
    }
    return stack instanceof NestedStack && this.shardDashboards.has(stack) ? DASHBOARD_BYTES_PER_TEAM : 0;
  }

  /** Whether the nested stacks' templates are written without indentation: the prop, else the app's context, else yes. */
  private suppressIndentation(): boolean {
    const context = this.facade.node.tryGetContext(SUPPRESS_TEMPLATE_INDENTATION_CONTEXT);
    return this.props.suppressNestedTemplateIndentation ?? (context === undefined ? true : context === true || context === 'true');
  }

  /** Every stack the facade fills must stay within CloudFormation's 500 resources. */
  private validateStackSizes(): string[] {
    const stacks: Stack[] = [Stack.of(this.facade), ...this.groups, ...this.shards];
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
}

/**
 * Resources the facade's own stack keeps free for the nested stacks (one resource each): half the budget,
 * 225 at the default, room for about 100,000 team resources.
 */
function parentReserve(budget: number): number {
  return Math.floor(budget / 2);
}

/** Resources a first team is expected to need (profiles, invoke policy, and the facade's spend controls). */
function firstTeamEstimate(shape: TeamShape): number {
  const models = shape.models + 3;
  const budget = shape.budget ? 1 + 12 : 0;
  const enforcement = shape.enforcement ? 4 : 0;
  const anomalies = shape.anomalies ? 2 : 0;
  return models + 2 + budget + enforcement + anomalies;
}

function validateScaleProps(scope: Construct, props: TeamPlacementProps): void {
  const budget = props.resourceBudgetPerStack;
  if (budget !== undefined && !Token.isUnresolved(budget) && !(Number.isInteger(budget) && budget >= 50 && budget <= CFN_MAX_RESOURCES)) {
    throw invalidProp(scope, 'resourceBudgetPerStack', budget,
      `the budget is a whole number of resources from 50 to ${CFN_MAX_RESOURCES} (CloudFormation's limit per stack)`, 'Pass e.g. 450');
  }
  const bytes = props.templateBudgetBytes;
  if (bytes !== undefined && !Token.isUnresolved(bytes) && !(Number.isInteger(bytes) && bytes > 0 && bytes <= CFN_MAX_TEMPLATE_BYTES)) {
    throw invalidProp(scope, 'templateBudgetBytes', bytes,
      `the budget is a positive whole number of bytes, at most ${CFN_MAX_TEMPLATE_BYTES.toLocaleString('en-US')} (CloudFormation's 1 MB limit for a template in S3)`,
      `Pass e.g. ${DEFAULT_TEMPLATE_BUDGET_BYTES}, the default, which leaves room for what is added after placement`);
  }
  const quota = props.profileQuota;
  if (quota !== undefined && !Token.isUnresolved(quota) && !(Number.isInteger(quota) && quota > 0)) {
    throw invalidProp(scope, 'profileQuota', quota, 'the quota is a positive whole number of profiles', 'Pass the quota AWS shows for your account and Region, e.g. 1000');
  }
}
