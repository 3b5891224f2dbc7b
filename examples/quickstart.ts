/**
 * The quickstart governed app, and the README's app: the code between `README:begin` and `README:end` is the
 * README's first TypeScript block, with `'../src'` spelled `'cdk-bedrock-governance'` there
 * (test/examples/readme.test.ts fails when the two differ, and synthesizes the README's block as written).
 *
 * Outside the markers, `npx projen example` adds AWS Control Tower's proactive controls
 * (`@cdklabs/cdk-validator-cfnguard`, a dev dependency here) as a third pack.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
// README:begin
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../src';

const app = new App();
const stack = new Stack(app, 'Governance', {
  env: { account: '111122223333', region: 'us-east-1' },
});

// The guard against direct model calls, invocation logging and the alert topic come with the facade.
const gov = new BedrockGovernance(stack, 'Gov', {
  profileNamePrefix: 'prod-',
  alertEmails: ['finops@example.com'], // budgets, anomalies and alarms notify this address
});

const search = gov.addTeam('search', {
  costCenter: 'CC-1042',
  environment: 'prod',
  models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
  routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  monthlyBudgetUsd: 5000, // a budget on the team tag, plus spend, throttle and error alarms
});
const support = gov.addTeam('support', {
  costCenter: 'CC-2001',
  environment: 'prod',
  models: [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE],
  interactive: false, // a ticket classifier: no streaming
  monthlyBudgetUsd: 800,
});

// The roles your applications run as: each reaches its models only through its team's profiles.
const searchApi = new iam.Role(stack, 'SearchApiRole', {
  assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
});
search.grantInvoke(searchApi);

const supportWorker = new iam.Role(stack, 'SupportWorkerRole', {
  assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
});
support.grantInvoke(supportWorker);

// Any unacknowledged finding of either pack fails `cdk synth`.
Validations.of(app).addPlugins(gov.checks(), new AwsSolutionsChecks(app));
// README:end
import { StrictValidationPlugin } from '../src/nag/strict-validation-plugin';

// AWS Control Tower's proactive controls, as `npx projen example` runs them. StrictValidationPlugin makes each of
// their findings an error: otherwise, once one is acknowledged, aws-cdk-lib lets all the others pass.
Validations.of(app).addPlugins(new StrictValidationPlugin(new CfnGuardValidator()));
