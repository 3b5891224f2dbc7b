import * as fs from 'fs';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BENCH_ENV, BENCH_MODELS, benchOutdir } from './governed-app';
import { BedrockGovernance, CrossRegionGeo, InferenceRouting } from '../src';
const n = Number(process.argv[2]);
const ctx = process.argv[3] === 'off' ? { 'aws:cdk:disable-creation-stack-traces': true } : {};
const outdir = benchOutdir();
const t = process.cpuUsage();
const app = new App({ outdir, builtinCloudFormationValidation: false, context: ctx });
const stack = new Stack(app, 'Governance', { env: BENCH_ENV });
const gov = new BedrockGovernance(stack, 'Gov', { alertEmails: ['finops@example.com'], focusExport: {}, profileQuota: 100_000 });
for (let i = 0; i < n; i++) {
  const team = gov.addTeam(`team-${i}`, { costCenter: `CC-${i % 97}`, environment: 'prod', models: BENCH_MODELS, routing: InferenceRouting.crossRegion(CrossRegionGeo.US), monthlyBudgetUsd: 1000 });
  team.grantInvoke(new iam.Role(team, 'AppRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
}
app.synth();
const u = process.cpuUsage(t);
console.log(process.argv[3] ?? 'on', n, 'cpu', Math.round((u.user + u.system) / 1000), 'peakRSS', Math.round(process.resourceUsage().maxRSS / 1024));
fs.rmSync(outdir, { recursive: true, force: true });
