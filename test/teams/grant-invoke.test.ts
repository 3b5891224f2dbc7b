/**
 * What `team.grantInvoke()` writes: the team's invokePolicy attached to roles, users and groups of the app,
 * the invoke statements inline for everything else (and past the per-principal cap).
 */
import { CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations as AssertAnnotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, InferenceRouting, Team } from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const BASE = { costCenter: 'CC-1', environment: 'prod' };

function setup(props: { interactive?: boolean; exempt?: boolean } = {}) {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const exemptRole = new iam.Role(stack, 'BreakGlass', { assumedBy: new iam.AccountRootPrincipal() });
  const gov = new BedrockGovernance(stack, 'Gov', { guard: props.exempt ? { exemptRoles: [exemptRole] } : undefined });
  const team = gov.addTeam('search', {
    ...BASE,
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
    interactive: props.interactive,
  });
  const role = (id: string) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { stack, gov, team, role, exemptRole };
}

const ref = (stack: Stack, c: iam.ManagedPolicy | iam.Role) => ({ Ref: stack.getLogicalId(c.node.defaultChild as CfnResource) });

/** The AWS::IAM::Policy resources that name the principal (its DefaultPolicy). */
function inlinePolicies(stack: Stack, principal: iam.Role | iam.User | iam.Group): any[] {
  const key = principal instanceof iam.Role ? 'Roles' : principal instanceof iam.User ? 'Users' : 'Groups';
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy', {
    Properties: { [key]: [ref(stack, principal as any)] },
  }));
}

describe('the attach path', () => {
  test('a role of the app gets the invokePolicy in ManagedPolicyArns and no inline invoke statement', () => {
    const { stack, gov, team, role } = setup();
    const api = role('Api');
    team.grantInvoke(api);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [ref(stack, team.invokePolicy)],
    });
    expect(inlinePolicies(stack, api)).toEqual([]);
    // the listeners still ran: the guard is attached (from the policy side, same stack) and the role is tagged
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: Match.stringLikeRegexp('^Deny Bedrock'),
      Roles: Match.arrayWith([ref(stack, api)]),
    });
    expect(gov.guard.isAttachedTo(api)).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'team', Value: 'search' }]) });
  });

  test('the grant succeeds for the grantee, with the invoke statements; applyBefore orders a construct after the role', () => {
    const { stack, team, role } = setup();
    const api = role('Api');
    const grant = team.grantInvoke(api);
    expect(grant.success).toBe(true);
    expect((grant as any).options.grantee).toBe(api);
    expect(grant.principalStatements.map((s) => s.toStatementJson().Action)).toEqual([
      ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:GetInferenceProfile'],
      ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
      ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
    ]);
    const user = new CfnResource(stack, 'UsesTheRole', { type: 'Custom::UsesTheRole' });
    grant.applyBefore(user);
    const template = Template.fromStack(stack).toJSON();
    expect(template.Resources.UsesTheRole.DependsOn).toEqual([stack.getLogicalId(api.node.defaultChild as CfnResource)]);
  });

  test('granting twice, or a role that already holds the policy, attaches it once', () => {
    const { stack, team, role } = setup();
    const api = role('Api');
    api.addManagedPolicy(team.invokePolicy);
    team.grantInvoke(api);
    team.grantInvoke(api);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: [ref(stack, team.invokePolicy)] });
    expect(inlinePolicies(stack, api)).toEqual([]);
  });

  test('users and groups of the app get the invokePolicy too', () => {
    const { stack, team } = setup();
    const user = new iam.User(stack, 'Dev');
    const group = new iam.Group(stack, 'Devs');
    team.grantInvoke(user);
    team.grantInvoke(group);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::User', { ManagedPolicyArns: [ref(stack, team.invokePolicy)] });
    template.hasResourceProperties('AWS::IAM::Group', { ManagedPolicyArns: [ref(stack, team.invokePolicy)] });
    expect(inlinePolicies(stack, user)).toEqual([]);
    expect(inlinePolicies(stack, group)).toEqual([]);
  });

  test('a non-interactive team attaches its (non-streaming) invokePolicy and still tags the role interactive=false', () => {
    const { stack, team, role } = setup({ interactive: false });
    const worker = role('Worker');
    team.grantInvoke(worker);
    team.grantInvoke(role('Worker2'), { streaming: false });
    const template = Template.fromStack(stack);
    template.resourcePropertiesCountIs('AWS::IAM::Role', { ManagedPolicyArns: [ref(stack, team.invokePolicy)] }, 2);
    template.hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'bedrock-governance:interactive', Value: 'false' }]) });
    expect(inlinePolicies(stack, worker)).toEqual([]);
    const allows = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(team.invokePolicy.node.defaultChild as CfnResource)]
      .Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Allow');
    expect(JSON.stringify(allows)).not.toContain('InvokeModelWithResponseStream');
  });
});

describe('the inline fallbacks', () => {
  test('an imported role gets the statements inline (no managed policy is attached by the grant)', () => {
    const { stack, team } = setup();
    const imported = iam.Role.fromRoleArn(stack, 'Imported', 'arn:aws:iam::111122223333:role/app');
    const grant = team.grantInvoke(imported);
    expect(grant.success).toBe(true);
    const policies = Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::Policy', { Properties: { Roles: ['app'] } }));
    expect(policies).toHaveLength(1);
    expect(policies[0].Properties.PolicyDocument.Statement).toHaveLength(3);
    // the invokePolicy is attached to no one by the grant (the guard is attached by name, from the policy side)
    const invokePolicy = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(team.invokePolicy.node.defaultChild as CfnResource)];
    expect(invokePolicy.Properties.Roles).toBeUndefined();
  });

  test('a streaming mismatch (streaming: false from an interactive team) is inline, without streaming', () => {
    const { stack, team, role } = setup();
    const worker = role('Worker');
    team.grantInvoke(worker, { streaming: false });
    const policies = inlinePolicies(stack, worker);
    expect(policies).toHaveLength(1);
    expect(JSON.stringify(policies[0].Properties.PolicyDocument)).not.toContain('InvokeModelWithResponseStream');
    const cfnRole = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(worker.node.defaultChild as CfnResource)];
    expect(JSON.stringify(cfnRole.Properties.ManagedPolicyArns ?? [])).not.toContain('InvokePolicy');
  });

  test('a role the guard exempts gets the statements inline, not the invokePolicy and its deny statements', () => {
    const { stack, team, exemptRole } = setup({ exempt: true });
    team.grantInvoke(exemptRole);
    expect(inlinePolicies(stack, exemptRole)).toHaveLength(1);
    const cfnRole = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(exemptRole.node.defaultChild as CfnResource)];
    expect(cfnRole.Properties.ManagedPolicyArns).toBeUndefined();
  });

  test(`past ${Team.MAX_ATTACHED_INVOKE_POLICIES} team invokePolicies on one principal, grants go inline (with an info message)`, () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov');
    const teams = [0, 1, 2, 3, 4].map((i) => gov.addTeam(`t${i}`, { ...BASE, models: [BedrockModel.NOVA_MICRO] }));
    const shared = new iam.Role(stack, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    for (const team of teams) {
      expect(team.grantInvoke(shared).success).toBe(true);
    }
    // the cap counts distinct policies: granting an attached team again changes nothing
    teams[0].grantInvoke(shared);
    const cfnRole = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(shared.node.defaultChild as CfnResource)];
    const invokeArns = cfnRole.Properties.ManagedPolicyArns.filter((a: any) => /InvokePolicy/.test(a.Ref));
    expect(invokeArns).toEqual(teams.slice(0, Team.MAX_ATTACHED_INVOKE_POLICIES).map((t) => ref(stack, t.invokePolicy)));
    const inline = inlinePolicies(stack, shared);
    expect(inline).toHaveLength(1);
    // two teams past the cap, three statements each (profiles, then the model through each profile)
    expect(inline[0].Properties.PolicyDocument.Statement).toHaveLength(2 * 2);
    AssertAnnotations.fromStack(stack).hasInfo('/S/Gov/t3', Match.stringLikeRegexp('already holds 3 team invoke policies'));
    AssertAnnotations.fromStack(stack).hasInfo('/S/Gov/t4', Match.stringLikeRegexp('already holds 3 team invoke policies'));
    // with the guard, the shared role holds 4 managed policies: within IAM's default quota of 10
    expect(cfnRole.Properties.ManagedPolicyArns.length + Object.values<any>(Template.fromStack(stack).findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Roles: Match.arrayWith([ref(stack, shared)]) },
    })).length).toBe(Team.MAX_ATTACHED_INVOKE_POLICIES + 1);
  });

  test('another IGrantable (a service principal\'s grantable) is inline as before', () => {
    const { stack, team } = setup();
    const principal = new iam.ServicePrincipal('lambda.amazonaws.com');
    const grant = team.grantInvoke({ grantPrincipal: principal });
    expect(grant.success).toBe(false);
    expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).not.toContain('bedrock:InvokeModel');
    const invokePolicy = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(team.invokePolicy.node.defaultChild as CfnResource)];
    expect(invokePolicy.Properties.Roles).toBeUndefined();
  });
});

describe('the managed-policy quota, counted at synthesis', () => {
  function sharedRole(ownPolicies: number) {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov');
    const managedPolicies = Array.from({ length: ownPolicies }, (_, i) => iam.ManagedPolicy.fromAwsManagedPolicyName(`Policy${i}`));
    const role = new iam.Role(stack, 'Shared', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), managedPolicies });
    for (let i = 0; i < Team.MAX_ATTACHED_INVOKE_POLICIES; i++) {
      gov.addTeam(`t${i}`, { ...BASE, models: [BedrockModel.NOVA_MICRO] }).grantInvoke(role);
    }
    return stack;
  }

  test('a principal within IAM\'s default 10 (own policies, 3 invoke policies, the guard from the policy side) gets no warning', () => {
    const stack = sharedRole(6);
    AssertAnnotations.fromStack(stack).hasNoWarning('/S/Shared', Match.stringLikeRegexp('managed policies attached'));
  });

  test('a principal over it gets a warning with the count', () => {
    const stack = sharedRole(7);
    AssertAnnotations.fromStack(stack).hasWarning('/S/Shared',
      Match.stringLikeRegexp('S/Shared has 11 managed policies attached; IAM allows 10 per role, user or group by default'));
  });
});
