import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { createQuickstartApp } from '../../examples/quickstart';

describe('examples/quickstart.ts', () => {
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-quickstart-'));
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('synthesizes with the built-in CloudFormation validation ON and AwsSolutionsChecks, no finding', () => {
    // Validation plugins throw on any unacknowledged finding; CloudFormation schema validation is on.
    const app = createQuickstartApp({ outdir, builtinCloudFormationValidation: true });
    const assembly = app.synth();
    const stack = assembly.getStackByName('Governance');
    const template = Template.fromJSON(stack.template);
    template.resourceCountIs('AWS::Bedrock::ApplicationInferenceProfile', 5);
    // three team invoke policies and the guard
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 4);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Description: 'Deny Bedrock model calls that do not go through a tagged application inference profile, and changes to cost attribution',
      Roles: [{ Ref: Match.stringLikeRegexp('^SearchApiRole') }, { Ref: Match.stringLikeRegexp('^SupportWorkerRole') }, { Ref: Match.stringLikeRegexp('^ResearchAgentRole') }],
    });
    // logging, the FOCUS export and the chargeback queries are on
    template.resourceCountIs('Custom::AWS', 1);
    template.resourceCountIs('AWS::BCMDataExports::Export', 1);
    template.resourceCountIs('AWS::Athena::NamedQuery', 6);
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
  });
});
