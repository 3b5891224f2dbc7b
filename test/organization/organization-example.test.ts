import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { createOrganizationApp, ORG } from '../../examples/organization';
import { TEMPLATE_BODY_MAX_BYTES } from '../../src/organization';

describe('examples/organization.ts', () => {
  const outdirs: string[] = [];
  const outdir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-org-'));
    outdirs.push(dir);
    return dir;
  };
  afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test('synthesizes with CloudFormation validation ON and both rule packs, no finding; 3 accounts x 2 Regions', () => {
    const dir = outdir();
    const assembly = createOrganizationApp({ outdir: dir, builtinCloudFormationValidation: true }).synth();
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);

    const management = Template.fromJSON(assembly.getStackByName('Management').template);
    management.hasResourceProperties('AWS::Organizations::Policy', { Type: 'SERVICE_CONTROL_POLICY', TargetIds: [ORG.membersOu] });
    management.resourceCountIs('AWS::BCMDataExports::Export', 2);
    management.resourceCountIs('Custom::CostAllocationTagActivation', 1);
    management.resourceCountIs('AWS::Budgets::Budget', 3); // one organization-wide budget per team
    // each filters on the team tag AND the accounts its StackSet names (schema-validated above)
    const filters = Object.values<any>(management.findResources('AWS::Budgets::Budget')).map((r) => r.Properties.Budget.FilterExpression.And);
    expect(filters.map((f) => [f[0].Tags.Values[0], f[1].Dimensions])).toEqual([
      ['search', { Key: 'LINKED_ACCOUNT', Values: [...ORG.productAccounts, ORG.stagingAccount], MatchOptions: ['EQUALS'] }],
      ['support', { Key: 'LINKED_ACCOUNT', Values: [...ORG.productAccounts, ORG.stagingAccount], MatchOptions: ['EQUALS'] }],
      ['research', { Key: 'LINKED_ACCOUNT', Values: [ORG.researchAccount], MatchOptions: ['EQUALS'] }],
    ]);
    // the central log archive: one table over every member account's and Region's folders; both StackSets pass
    // the archive's bucket, key and account to their members
    management.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({ Parameters: Match.objectLike({ 'projection.log_account.values': '444455556666,777788889999,123456789012,210987654321' }) }),
    });
    const sets = Object.values<any>(management.findResources('AWS::CloudFormation::StackSet')).map((r) => r.Properties);
    for (const set of sets) {
      expect(set.Parameters.map((p: any) => p.ParameterKey)).toEqual(['ArchiveBucketArn', 'ArchiveKeyArn', 'ArchiveAccount']);
    }
    expect(sets.map((s) => s.StackSetName)).toEqual(['bedrock-governance-product', 'bedrock-governance-research']);

    const product = sets[0];
    const instances = product.StackInstancesGroup.flatMap((g: any) =>
      g.DeploymentTargets.Accounts.flatMap((a: string) => g.Regions.map((r: string) => `${a}/${r}`)));
    expect(instances.sort()).toEqual([
      '123456789012/us-east-1', '123456789012/us-west-2', '444455556666/us-east-1', '444455556666/us-west-2',
      '777788889999/us-east-1', '777788889999/us-west-2',
    ]);
    expect(product.StackInstancesGroup[1].ParameterOverrides).toEqual([{ ParameterKey: 'AlertEmail', ParameterValue: 'staging-finops@example.com' }]);
    // product: two teams with logging, budgets, alarms and a dashboard are over the inline limit, read from S3
    expect(product.TemplateURL).toMatch(/^https:\/\/bedrock-governance-templates-111122223333\.s3\.us-east-1\.amazonaws\.com\//);
    expect(product.TemplateBody).toBeUndefined();
    expect(Buffer.byteLength(sets[1].TemplateBody)).toBeLessThanOrEqual(TEMPLATE_BODY_MAX_BYTES);

    for (const stage of ['Product', 'Research']) {
      const nested = assembly.getNestedAssembly(`assembly-${stage}`);
      expect(nested.artifacts.filter((a) => a.constructor.name === 'AssetManifestArtifact')).toEqual([]);
      const body = nested.stacks[0].template;
      const functions = Object.values<any>(body.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
      expect(functions.map((f) => Object.keys(f.Properties.Code))).toEqual([['ZipFile']]); // the inline logging handler
      expect(Object.values<any>(body.Resources).filter((r) => r.Type === 'Custom::BedrockInvocationLogging')).toHaveLength(1);
      expect(body.Parameters.BootstrapVersion).toBeUndefined();
    }
    // research is inlined as synthesized
    expect(JSON.parse(sets[1].TemplateBody)).toEqual(assembly.getNestedAssembly('assembly-Research').stacks[0].template);
    // the support team was added after the StackSet: it is in the template
    const productBody = assembly.getNestedAssembly('assembly-Product').stacks[0].template;
    const teams = Object.values<any>(productBody.Resources)
      .filter((r) => r.Type === 'AWS::Bedrock::ApplicationInferenceProfile')
      .map((r) => r.Properties.Tags.find((t: any) => t.Key === 'team').Value);
    expect(teams.sort()).toEqual(['search', 'support']);
  });

  test('the rule packs registered on the app check the member stages: a finding there fails the synth', () => {
    const app = createOrganizationApp({ outdir: outdir() });
    const member = (app.node.findChild('Product') as Stage).node.findChild('Member') as Stack;
    new sns.Topic(member, 'Unencrypted');
    expect(() => app.synth()).toThrow(/ERROR The SNS Topic does not require publishers to use SSL\. \(AwsSolutions\)\n\s+Product\/Member\/Unencrypted\/Resource /);
  });
});
