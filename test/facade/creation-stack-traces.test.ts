import { CfnResource, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import { IConstruct } from 'constructs';
import { BedrockGovernance, BedrockModel } from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const CREATION_STACK = 'aws:cdk:creationStack';

function traced(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => c instanceof CfnResource && c.node.metadata.some((m) => m.type === CREATION_STACK)).length;
}

function resources(scope: IConstruct): number {
  return scope.node.findAll().filter((c) => c instanceof CfnResource).length;
}

function facade(context: Record<string, unknown> = {}, creationStackTraces?: boolean) {
  const app = testApp({ context });
  const stack = new Stack(app, 'S', { env: ENV });
  const outside = new sns.CfnTopic(stack, 'Outside');
  const gov = new BedrockGovernance(stack, 'Gov', { creationStackTraces, resourceBudgetPerStack: 50, profileQuota: 10000 });
  for (let i = 1; i <= 6; i++) {
    gov.addTeam(`team-${i}`, { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE, BedrockModel.NOVA_PRO], monthlyBudgetUsd: 100 });
  }
  return { gov, outside };
}

describe('creation stack traces', () => {
  test('off under the facade by default (nested stacks included), untouched outside it', () => {
    const { gov, outside } = facade();
    expect(gov.shards.length).toBeGreaterThan(0);
    expect(resources(gov)).toBeGreaterThan(50);
    expect(traced(gov)).toBe(0);
    expect(outside.node.metadata.map((m) => m.type)).toContain(CREATION_STACK);
  });

  test('creationStackTraces: true records them for every resource under the facade', () => {
    const { gov } = facade({}, true);
    expect(traced(gov)).toBe(resources(gov));
  });

  test("the app's own setting of the context key wins", () => {
    const { gov } = facade({ 'aws:cdk:disable-creation-stack-traces': false }, false);
    expect(traced(gov)).toBe(resources(gov));
  });
});
