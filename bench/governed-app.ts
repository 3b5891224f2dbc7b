/**
 * The governed app the benchmarks synthesize: N teams x 3 Claude models on the facade, each with a granted
 * application role in its own stack, a monthly budget (with its default alarms) and dashboards, the FOCUS export
 * and invocation logging at their defaults.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../src';

export const BENCH_ENV = { account: '111122223333', region: 'us-east-1' };
export const BENCH_MODELS = [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5, BedrockModel.CLAUDE_OPUS_4_5];

/** A fresh temporary output directory. */
export function benchOutdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-bench-'));
}

/** aws-cdk-lib settings that change the memory a synthesis takes (docs/PERFORMANCE.md). */
export interface GovernedAppOptions {
  /** Write tree.json (App `treeMetadata`). Default true. */
  readonly treeMetadata?: boolean;
  /** Record a creation stack trace per construct metadata entry (App `stackTraces`). Default true. */
  readonly stackTraces?: boolean;
  /**
   * Record a creation stack trace per CloudFormation element: sets the app's `aws:cdk:disable-creation-stack-traces`
   * context (which wins over the facade's own default, off). Default: the facade's default.
   */
  readonly creationStackTraces?: boolean;
}

/** Build (not synthesize) the governed app with `teams` teams. */
export function buildGovernedApp(
  teams: number, outdir: string = benchOutdir(), options: GovernedAppOptions = {},
): { app: App; gov: BedrockGovernance } {
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    treeMetadata: options.treeMetadata ?? true,
    stackTraces: options.stackTraces ?? true,
    context: options.creationStackTraces === undefined ? {} : { 'aws:cdk:disable-creation-stack-traces': !options.creationStackTraces },
  });
  const stack = new Stack(app, 'Governance', { env: BENCH_ENV });
  const gov = new BedrockGovernance(stack, 'Gov', {
    alertEmails: ['finops@example.com'],
    focusExport: {},
    profileQuota: 100_000,
  });
  for (let i = 0; i < teams; i++) {
    const team = gov.addTeam(`team-${i}`, {
      costCenter: `CC-${i % 97}`,
      environment: 'prod',
      models: BENCH_MODELS,
      routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
      monthlyBudgetUsd: 1000,
    });
    // the team's application role, in the team's own stack
    team.grantInvoke(new iam.Role(team, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
  }
  return { app, gov };
}
