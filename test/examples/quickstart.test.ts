import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
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
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 3);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
  });
});
