/**
 * CPU of the team-wide alarms alone: N three-model teams in one stack, then `TeamUsageAlarms` per team (a spend
 * threshold, the default throttle and server-error alarms: 4 alarms and a composite per team), measured as
 * construction, then resolution of the alarm resources' CloudFormation.
 *
 * Usage: node_modules/.bin/tsx bench/alarms.ts [teams]      (default 300; run before and after a change, alternating)
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BedrockModel, InferenceRouting, Team } from '../src';
import { TeamUsageAlarms } from '../src/monitoring';

function main(): void {
  const count = Number(process.argv[2] ?? 300);
  const app = new App({ outdir: `/tmp/bench-alarms-${process.pid}` });
  const stack = new Stack(app, 'S', { env: { account: '111111111111', region: 'us-east-1' } });
  const topic = new sns.Topic(stack, 'Topic');
  const teams = Array.from({ length: count }, (_, i) => new Team(stack, `t${i}`, {
    teamName: `team-${i}`,
    costCenter: 'CC-1',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5, BedrockModel.CLAUDE_OPUS_4_5],
    routing: InferenceRouting.global(),
  }));
  const t0 = process.cpuUsage();
  const alarms = teams.map((team) => new TeamUsageAlarms(team, 'UsageAlarms', { team, topic, perProfile: false, hourlySpendUsd: 5 }));
  const construct = process.cpuUsage(t0);
  const t1 = process.cpuUsage();
  for (const a of alarms) {
    for (const child of a.node.findAll()) {
      if (CfnResource.isCfnResource(child)) {
        stack.resolve((child as unknown as { _toCloudFormation(): object })._toCloudFormation());
      }
    }
  }
  const resolve = process.cpuUsage(t1);
  const ms = (u: NodeJS.CpuUsage) => Math.round((u.user + u.system) / 1000);
  console.log(JSON.stringify({ teams: count, constructMs: ms(construct), resolveMs: ms(resolve) }));
}

main();
