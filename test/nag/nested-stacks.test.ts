/**
 * The role rules follow a role's attached managed policies across nested stacks: aws-cdk-lib passes a reference
 * into a nested stack as a parameter and out of one as an output, and `grantInvoke` attaches a team's
 * `invokePolicy` by reference (the role's `ManagedPolicyArns`).
 */
import { NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { check, findingsOf } from './utils';
import { BedrockGovernance, BedrockModel, Team } from '../../src';
import { BedrockGovernanceChecks } from '../../src/nag';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const IAM5 = 'BedrockGovernance-IAM5';
const MODELS = [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE, BedrockModel.NOVA_PRO];

function worker(scope: Stack): iam.Role {
  const role = new iam.Role(scope, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  BedrockGovernanceChecks.markNonInteractive(role);
  return role;
}

test('a role of the parent stack that holds the invokePolicy of a team in a nested shard is checked', () => {
  const app = testApp();
  const stack = new Stack(app, 'Governance', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { profileQuota: 100_000 });
  let team: Team;
  for (let i = 0; ; i++) {
    team = gov.addTeam(`t${i}`, { costCenter: 'CC-1', environment: 'prod', models: MODELS, monthlyBudgetUsd: 100 });
    if (Stack.of(team) !== stack) {
      break;
    }
  }
  const role = worker(stack);
  team.grantInvoke(role); // an interactive team: its invokePolicy streams
  app.synth();
  expect(stack.resolve((role.node.defaultChild as iam.CfnRole).managedPolicyArns)[0])
    .toEqual({ 'Fn::GetAtt': [expect.stringMatching(/NestedStackResource/), expect.stringMatching(/^Outputs\..*InvokePolicy/)] });
  expect(findingsOf(check(app), IAM5)).toEqual([{ id: IAM5, paths: ['Governance/Worker/Resource'], severity: expect.any(String) }]);
});

test('a role of a nested stack that holds the invokePolicy of a team in the parent stack is checked', () => {
  const app = testApp();
  const stack = new Stack(app, 'Governance', { env: ENV });
  const team = new BedrockGovernance(stack, 'Gov').addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: MODELS, monthlyBudgetUsd: 100 });
  const nested = new NestedStack(stack, 'Workers');
  const role = worker(nested);
  team.grantInvoke(role);
  app.synth();
  expect(nested.resolve((role.node.defaultChild as iam.CfnRole).managedPolicyArns)[0]).toEqual({ Ref: expect.stringMatching(/InvokePolicy/) });
  expect(findingsOf(check(app), IAM5)).toEqual([{ id: IAM5, paths: ['Governance/Workers/Worker/Resource'], severity: expect.any(String) }]);
});
