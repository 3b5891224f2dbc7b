/**
 * Benchmark: the cost per resource of the BedrockGovernance pack beside cdk-nag's AwsSolutionsChecks,
 * both run with `validateScope(app)` on the same app of plain L1 resources.
 *
 * The app: N teams (default 1,000), each with 3 tagged application inference profiles, a role, a
 * policy granting invoke through the team's profiles only (profile ARNs, and foundation-model ARNs
 * under ArnEquals bedrock:InferenceProfileArn), and a tag-filtered COST budget with a notification;
 * 50 teams per stack (300 resources, under CloudFormation's 500), plus one stack that configures
 * invocation logging with an AwsCustomResource. The app is compliant with the BedrockGovernance pack.
 *
 * Run: node_modules/.bin/tsx bench/nag-pack.ts [teams] [repetitions]
 */
import { loadavg } from 'os';
import { App, CfnResource, PolicyValidationPluginReport, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as budgets from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { BedrockGovernanceChecks } from '../src/nag';

const TEAMS = Number(process.argv[2] ?? 1000);
const REPETITIONS = Number(process.argv[3] ?? 7);
const TEAMS_PER_STACK = 50;
const ENV = { account: '111122223333', region: 'us-east-1' };
const MODELS = [
  'anthropic.claude-haiku-4-5-20251001-v1:0',
  'anthropic.claude-sonnet-4-5-20250929-v1:0',
  'anthropic.claude-opus-4-5-20251101-v1:0',
];

function buildApp(teams: number): App {
  const app = new App({ builtinCloudFormationValidation: false });
  let stack: Stack | undefined;
  for (let t = 0; t < teams; t++) {
    if (t % TEAMS_PER_STACK === 0) {
      stack = new Stack(app, `Teams${t / TEAMS_PER_STACK}`, { env: ENV });
    }
    addTeam(stack!, `team${t}`);
  }
  addLogging(new Stack(app, 'Logging', { env: ENV }));
  return app;
}

function addTeam(stack: Stack, team: string): void {
  const profiles = MODELS.map((modelId, i) => new bedrock.CfnApplicationInferenceProfile(stack, `${team}Profile${i}`, {
    inferenceProfileName: `${team}-${i}`,
    modelSource: { copyFrom: `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/us.${modelId}` },
    tags: [{ key: 'team', value: team }, { key: 'cost-center', value: `CC-${team}` }, { key: 'environment', value: 'prod' }],
  }));
  const role = new iam.CfnRole(stack, `${team}Role`, {
    assumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
  });
  const statements: unknown[] = [{
    Effect: 'Allow',
    Action: ['bedrock:InvokeModel', 'bedrock:GetInferenceProfile'],
    Resource: profiles.map((p) => p.attrInferenceProfileArn),
  }];
  profiles.forEach((profile, i) => statements.push({
    Effect: 'Allow',
    Action: 'bedrock:InvokeModel',
    Resource: `arn:${stack.partition}:bedrock:*::foundation-model/${MODELS[i]}`,
    Condition: { ArnEquals: { 'bedrock:InferenceProfileArn': profile.attrInferenceProfileArn } },
  }));
  new iam.CfnPolicy(stack, `${team}Policy`, {
    policyName: `${team}-invoke`,
    roles: [role.ref],
    policyDocument: { Version: '2012-10-17', Statement: statements },
  });
  new budgets.CfnBudget(stack, `${team}Budget`, {
    budget: {
      budgetType: 'COST',
      timeUnit: 'MONTHLY',
      budgetLimit: { amount: 1000, unit: 'USD' },
      metrics: ['UnblendedCost'],
      filterExpression: { tags: { key: 'team', values: [team], matchOptions: ['EQUALS'] } },
    },
    notificationsWithSubscribers: [{
      notification: { notificationType: 'ACTUAL', comparisonOperator: 'GREATER_THAN', threshold: 80, thresholdType: 'PERCENTAGE' },
      subscribers: [{ subscriptionType: 'EMAIL', address: 'finops@example.com' }],
    }],
  });
}

function addLogging(stack: Stack): void {
  const call: cr.AwsSdkCall = {
    service: 'Bedrock',
    action: 'putModelInvocationLoggingConfiguration',
    parameters: { loggingConfig: { s3Config: { bucketName: 'invocation-logs' } } },
    physicalResourceId: cr.PhysicalResourceId.of('invocation-logging'),
  };
  new cr.AwsCustomResource(stack, 'InvocationLogging', {
    installLatestAwsSdk: false,
    onCreate: call,
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({ actions: ['bedrock:PutModelInvocationLoggingConfiguration'], resources: ['*'] }),
    ]),
  });
}

function countResources(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
}

interface Measurement {
  readonly name: string;
  readonly coldMs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly violations: number;
}

function time(run: () => PolicyValidationPluginReport): [number, PolicyValidationPluginReport] {
  const start = process.hrtime.bigint();
  const report = run();
  return [Number(process.hrtime.bigint() - start) / 1e6, report];
}

/**
 * One cold run of each pack, then warm repetitions interleaved (A B A B ...), so that a change of the
 * machine's load during the run weighs on both packs alike.
 */
function measureInterleaved(runs: Array<[string, () => PolicyValidationPluginReport]>): Measurement[] {
  const cold = runs.map(([, run]) => time(run));
  const samples: number[][] = runs.map(() => []);
  for (let i = 0; i < REPETITIONS; i++) {
    runs.forEach(([, run], k) => samples[k].push(time(run)[0]));
  }
  return runs.map(([name], k) => {
    const sorted = [...samples[k]].sort((a, b) => a - b);
    return {
      name,
      coldMs: cold[k][0],
      medianMs: sorted[Math.floor(sorted.length / 2)],
      minMs: sorted[0],
      maxMs: sorted[sorted.length - 1],
      violations: cold[k][1].violations.reduce((n, v) => n + v.violatingResources.length, 0),
    };
  });
}

function main(): void {
  const buildStart = process.hrtime.bigint();
  const app = buildApp(TEAMS);
  const buildMs = Number(process.hrtime.bigint() - buildStart) / 1e6;
  const resources = countResources(app);

  const ours = new BedrockGovernanceChecks();
  const solutions = new AwsSolutionsChecks();
  const results = measureInterleaved([
    ['BedrockGovernance', () => ours.validateScope(app)],
    ['AwsSolutions', () => solutions.validateScope(app)],
  ]);

  console.log(`${TEAMS} teams, ${resources} CfnResources in ${app.node.children.length} stacks (app built in ${buildMs.toFixed(0)} ms); `
    + `${REPETITIONS} warm repetitions each, interleaved, after one cold run each; Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('');
  console.log('| pack | cold run ms | warm median ms | warm min-max ms | µs per resource (median) | findings (resource x rule) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.coldMs.toFixed(0)} | ${r.medianMs.toFixed(0)} | ${r.minMs.toFixed(0)}-${r.maxMs.toFixed(0)} `
      + `| ${((r.medianMs * 1000) / resources).toFixed(1)} | ${r.violations} |`);
  }
  const ratio = results[0].medianMs / results[1].medianMs;
  console.log('');
  console.log(`BedrockGovernance / AwsSolutions (warm medians): ${ratio.toFixed(2)}x`);
}

main();
