import * as fs from 'fs';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AttributionQueries, ChargebackQueries, CostAllocationTagActivation, Cur2Export, FocusExport } from '../../src/billing';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

test('the billing constructs synthesize with CloudFormation schema validation ON and AwsSolutionsChecks as plugins', () => {
  // The only test of this area with the built-in schema validation on (about 1.5 s of WebAssembly start-up).
  const app = testApp({ builtinCloudFormationValidation: true });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const stack = new Stack(app, 'Billing', { env: ENV });
  const focusExport = new FocusExport(stack, 'Focus');
  new ChargebackQueries(stack, 'Chargeback', { focusExport, bytesScannedCutoffPerQuery: 10_000_000_000 });
  new CostAllocationTagActivation(stack, 'Tags', { principalTagKeys: true, additionalTagKeys: Array.from({ length: 20 }, (_, i) => `project-${i}`) });
  const cur2Export = new Cur2Export(stack, 'Cur2');
  new AttributionQueries(stack, 'Attribution', { cur2Export });
  const assembly = app.synth();
  const template = assembly.getStackByName('Billing').template;
  expect(Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::BCMDataExports::Export')).toHaveLength(2);
  expect(Object.values<any>(template.Resources).map((r) => r.Type)).toEqual(expect.arrayContaining([
    'AWS::BCMDataExports::Export', 'AWS::Glue::Table', 'AWS::Athena::WorkGroup', 'AWS::Athena::NamedQuery', 'Custom::CostAllocationTagActivation',
  ]));
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
});
