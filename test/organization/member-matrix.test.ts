/**
 * The access matrix per member account: every StackSet instance of the organization example (3 accounts x 2
 * Regions) is evaluated with its own account and Region, with the management stack's guard applied as a service
 * control policy (the SCP slot of the evaluator, beside FullAWSAccess), never as an identity policy. Every cell is
 * a decision of @cloud-copilot/iam-simulate in Strict mode.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { createOrganizationApp, ORG } from '../../examples/organization';
import { cleanupOutdirs, defaultAttributes, resolveIntrinsics, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const FULL_ACCESS = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const ADMIN = [{ name: 'AdministratorAccess', policy: FULL_ACCESS }];

type Named = { name: string; policy: any };

/** The identity policies of a role of a member template, resolved for one account and Region. */
function rolePolicies(template: any, roleId: string, account: string, region: string): Named[] {
  const attrs = defaultAttributes(region, account);
  const resolve = (v: any) => resolveIntrinsics(v, template, attrs, region, account);
  const refers = (list: any) => Array.isArray(list) && list.some((e: any) => e?.Ref === roleId);
  const role = template.Resources[roleId];
  const attached = new Set((role.Properties.ManagedPolicyArns ?? []).map((a: any) => a.Ref));
  const policies: Named[] = [];
  for (const [id, r] of Object.entries<any>(template.Resources)) {
    if ((r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && (refers(r.Properties.Roles) || attached.has(id))) {
      policies.push({ name: id, policy: resolve(r.Properties.PolicyDocument) });
    }
  }
  expect(policies.length).toBeGreaterThan(0);
  return policies;
}

function logicalIdOf(template: any, type: string, prefix: string): string {
  const ids = Object.entries<any>(template.Resources)
    .filter(([id, r]) => r.Type === type && id.startsWith(prefix))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0];
}

async function decide(
  identity: Named[], scps: Named[], principal: string, account: string, action: string, resource: string, context: Record<string, string> = {},
): Promise<string> {
  const result = await runSimulation({
    identityPolicies: identity,
    serviceControlPolicies: scps.length > 0 ? [{ orgIdentifier: 'o-exampleorgid', policies: scps }] : [],
    resourceControlPolicies: [],
    request: { principal, action, resource: { resource, accountId: resource.split(':')[4] || account }, contextVariables: context },
  }, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(result.errors)}`);
  }
  const ignored = result.resultType === 'single' ? (result.result.ignoredContextKeys ?? []) : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  expect(ignored).toEqual([]);
  return result.overallResult[0]; // A(llowed), E(xplicitly denied) or I(mplicitly denied)
}

/** Requests, in order (columns of the expected strings). */
const REQUESTS = [
  'InvokeModel, search profile',
  'InvokeModelWithResponseStream, search profile',
  'InvokeModel, support profile',
  'InvokeModel, Haiku via the search profile',
  'InvokeModel, Haiku direct',
  'InvokeModelWithResponseStream, Haiku direct',
  'InvokeModel, system us. Haiku profile direct',
  'InvokeModel, search profile of another member account',
  'bedrock-mantle:CreateInference',
  'CreateProvisionedModelThroughput on Haiku',
];

/** Expected decisions per principal (same in every account and Region): A allowed, E explicitly denied, I implicitly denied. */
const EXPECTED: Record<string, string> = {
  'search API role': 'AAIAEEEIEE',
  'support worker role': 'IIAIEEEIEE',
  'admin + SCP': 'AAAAEEEIEE',
  'admin, SCP not applied': 'AAAAAAAIAA',
};

test('per member account and Region, with the guard applied as an SCP: 6 instances x 4 principals x 10 requests', async () => {
  const app = createOrganizationApp({ outdir: testApp().outdir, builtinCloudFormationValidation: false });
  const assembly = app.synth();
  const management = assembly.getStackByName('Management').template;
  const scpId = logicalIdOf(management, 'AWS::Organizations::Policy', 'OrgGuardPolicy');
  const scpContent = resolveIntrinsics(management.Resources[scpId].Properties.Content, management,
    defaultAttributes('us-east-1', ORG.managementAccount), 'us-east-1', ORG.managementAccount);
  const scps: Named[] = [{ name: 'FullAWSAccess', policy: FULL_ACCESS }, { name: 'BedrockDirectInvocationGuard', policy: scpContent }];
  const stackSet = Object.values<any>(management.Resources).find((r) => r.Properties?.StackSetName === 'bedrock-governance-product').Properties;
  // what CloudFormation deploys to each account: the template uploaded to the StackSet's TemplateURL
  const member = assembly.getNestedAssembly('assembly-Product').stacks[0].template;
  const instances: Array<[string, string]> = stackSet.StackInstancesGroup.flatMap((g: any) =>
    g.DeploymentTargets.Accounts.flatMap((a: string) => g.Regions.map((r: string) => [a, r])));
  expect(instances).toHaveLength(6);

  const searchRole = logicalIdOf(member, 'AWS::IAM::Role', 'SearchApiRole');
  const supportRole = logicalIdOf(member, 'AWS::IAM::Role', 'SupportWorkerRole');
  const searchProfile = logicalIdOf(member, 'AWS::Bedrock::ApplicationInferenceProfile', 'Govsearch');
  const supportProfile = logicalIdOf(member, 'AWS::Bedrock::ApplicationInferenceProfile', 'Govsupport');

  let cells = 0;
  const seen: Record<string, Record<string, string>> = {};
  for (const [account, region] of instances) {
    const attrs = defaultAttributes(region, account);
    const profileArn = (id: string, acct = account) => defaultAttributes(region, acct)(id, member.Resources[id], 'InferenceProfileArn');
    const other = instances.find(([a]) => a !== account)![0];
    const teamTag = (id: string) => ({ 'aws:ResourceTag/team': member.Resources[id].Properties.Tags.find((t: any) => t.Key === 'team').Value });
    const searchTag = teamTag(searchProfile);
    const requests: Array<[string, string, Record<string, string>?]> = [
      // an application inference profile's request carries the profile's tags (the guard denies untagged ones)
      ['bedrock:InvokeModel', profileArn(searchProfile), searchTag],
      ['bedrock:InvokeModelWithResponseStream', profileArn(searchProfile), searchTag],
      ['bedrock:InvokeModel', profileArn(supportProfile), teamTag(supportProfile)],
      ['bedrock:InvokeModel', `arn:aws:bedrock:${region}::foundation-model/${HAIKU}`, { 'bedrock:InferenceProfileArn': profileArn(searchProfile) }],
      ['bedrock:InvokeModel', `arn:aws:bedrock:${region}::foundation-model/${HAIKU}`],
      ['bedrock:InvokeModelWithResponseStream', `arn:aws:bedrock:${region}::foundation-model/${HAIKU}`],
      ['bedrock:InvokeModel', `arn:aws:bedrock:${region}:${account}:inference-profile/us.${HAIKU}`],
      ['bedrock:InvokeModel', profileArn(searchProfile, other), searchTag],
      ['bedrock-mantle:CreateInference', `arn:aws:bedrock-mantle:${region}:${account}:project/default`],
      ['bedrock:CreateProvisionedModelThroughput', `arn:aws:bedrock:${region}::foundation-model/${HAIKU}`],
    ];
    expect(requests).toHaveLength(REQUESTS.length);
    const principals: Array<[string, Named[], boolean, string]> = [
      ['search API role', rolePolicies(member, searchRole, account, region), true, attrs(searchRole, member.Resources[searchRole], 'Arn')],
      ['support worker role', rolePolicies(member, supportRole, account, region), true, attrs(supportRole, member.Resources[supportRole], 'Arn')],
      ['admin + SCP', ADMIN, true, `arn:aws:iam::${account}:role/admin`],
      ['admin, SCP not applied', ADMIN, false, `arn:aws:iam::${account}:role/admin`],
    ];
    for (const [name, identity, scpApplies, principal] of principals) {
      let row = '';
      for (const [action, resource, context] of requests) {
        row += await decide(identity, scpApplies ? scps : [], principal, account, action, resource, context);
        cells++;
      }
      (seen[`${account}/${region}`] ??= {})[name] = row;
    }
  }
  for (const instance of Object.keys(seen)) {
    expect({ instance, rows: seen[instance] }).toEqual({ instance, rows: EXPECTED });
  }
  expect(cells).toBe(6 * 4 * REQUESTS.length);
}, 60_000);
