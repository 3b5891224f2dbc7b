/**
 * This library's own constructs against its pack: a governed app (the facade with its teams, grants,
 * guard and invocation logging, plus team budgets) has no finding; take one piece away and the
 * matching rule fires.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagRuleCompliance } from 'cdk-nag';
import { check, allIds } from './utils';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting } from '../../src';
import { TeamBudget } from '../../src/budgets';
import { BedrockGovernanceChecks } from '../../src/nag';
import { NagAppIndex, NagRuleContext } from '../../src/nag/private/app-index';
import { RULE_TYPES } from '../../src/nag/private/rule-types';
import * as rules from '../../src/nag/rules';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

interface Options {
  readonly logging?: boolean;
  readonly budgets?: boolean;
}

function governedApp(options: Options = {}) {
  const app = testApp();
  const stack = new Stack(app, 'Governance', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { invocationLogging: { enabled: options.logging ?? true } });
  const search = gov.addTeam('search', {
    costCenter: 'CC-1042',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const support = gov.addTeam('support', { costCenter: 'CC-2001', environment: 'prod', models: [BedrockModel.NOVA_MICRO] });
  const api = new iam.Role(stack, 'SearchApi', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  search.grantInvoke(api);
  const worker = new iam.Role(stack, 'SupportWorker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  BedrockGovernanceChecks.markNonInteractive(worker);
  support.grantInvoke(worker, { streaming: false });
  if (options.budgets ?? true) {
    for (const team of gov.teams) {
      new TeamBudget(stack, `${team.teamName}Budget`, { team, monthlyLimitUsd: 1000, emails: ['finops@example.com'] });
    }
  }
  app.synth();
  return { app, stack, worker };
}

test('a governed app has no finding', () => {
  const { app } = governedApp();
  expect(check(app).violations).toEqual([]);
});

test('without logging, LOG1 fires on every profile and grant; without budgets, BUD1 on every profile', () => {
  const { app } = governedApp({ logging: false, budgets: false });
  const report = check(app);
  expect(allIds(report)).toEqual(['BedrockGovernance-BUD1', 'BedrockGovernance-LOG1']);
  const paths = (id: string) => report.violations.find((v) => v.ruleName === id)!.violatingResources.map((r) => r.constructPath).sort();
  expect(paths('BedrockGovernance-BUD1')).toEqual([
    'Governance/Gov/search/claude-haiku-4-5/Resource',
    'Governance/Gov/search/claude-sonnet-4-5/Resource',
    'Governance/Gov/support/nova-micro/Resource',
  ]);
  expect(paths('BedrockGovernance-LOG1')).toEqual([
    'Governance/Gov/search/InvokePolicy/Resource',
    'Governance/Gov/search/claude-haiku-4-5/Resource',
    'Governance/Gov/search/claude-sonnet-4-5/Resource',
    'Governance/Gov/support/InvokePolicy/Resource',
    'Governance/Gov/support/nova-micro/Resource',
    // SearchApi holds search's InvokePolicy; SupportWorker's grant (streaming: false from an interactive team) is inline
    'Governance/SupportWorker/DefaultPolicy/Resource',
  ]);
});

test('acknowledged at the stack with a reason, the logging finding goes away', () => {
  const { app, stack } = governedApp({ logging: false });
  Validations.of(stack).acknowledge({
    id: 'BedrockGovernance-LOG1',
    reason: 'Invocation logging for this account and Region is owned by the platform team\'s landing-zone stack',
  });
  expect(check(app).violations).toEqual([]);
});

describe('rule dispatch by resource type', () => {
  test('a rule is skipped only on resource types it reports NOT_APPLICABLE for', () => {
    // every resource of a governed app (all its types), against every rule, bypassing the dispatch table
    const { app } = governedApp();
    const context = {
      index: new NagAppIndex(app),
      requiredTagKeys: ['team', 'cost-center', 'environment'],
      teamTagKey: 'team',
      nonInteractiveRoles: new Set<string>(),
      lightTaskRoles: new Set<string>(),
    };
    const checks: Record<string, (node: CfnResource, c: NagRuleContext) => unknown> = {
      IAM1: rules.BedrockDirectModelInvocation,
      IAM2: rules.BedrockWildcardPermissions,
      IAM3: rules.BedrockInvokeOnAllApplicationProfiles,
      IAM4: rules.BedrockMantleAllowed,
      IAM5: rules.BedrockStreamingNonInteractive,
      IAM6: rules.BedrockPremiumModelLightTask,
      TAG1: rules.BedrockProfileCostTags,
      LOG1: rules.BedrockInvocationLoggingMissing,
      BUD1: rules.BedrockTeamWithoutBudget,
      BUD2: rules.BudgetNotificationsWithSubscribers,
      KB1: rules.BedrockKnowledgeBaseOpenSearchServerless,
    };
    expect(Object.keys(checks).sort()).toEqual(Object.keys(RULE_TYPES).sort());
    const types = new Set(context.index.resources.map((r) => r.cfnResourceType));
    expect(types.size).toBeGreaterThan(10);
    let skipped = 0;
    for (const node of context.index.resources) {
      for (const [suffix, rule] of Object.entries(checks)) {
        if (!RULE_TYPES[suffix].has(node.cfnResourceType)) {
          expect([suffix, node.node.path, rule(node, context)]).toEqual([suffix, node.node.path, NagRuleCompliance.NOT_APPLICABLE]);
          skipped++;
        }
      }
    }
    expect(skipped).toBeGreaterThan(100);
  });
});
