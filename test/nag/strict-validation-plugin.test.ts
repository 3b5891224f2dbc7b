import { App, IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';
import { StrictValidationPlugin } from '../../src';

const resource = { resourceLogicalId: 'Bucket', templatePath: 't.json', locations: ['/Resources/Bucket'] };

class FakePlugin implements IPolicyValidationPluginBeta1 {
  public readonly name = 'fake-plugin';
  public readonly version = '1.2.3';
  public readonly ruleIds = ['a', 'b'];
  public validate(_context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    return {
      success: false,
      metadata: { x: 'y' },
      violations: [
        { ruleName: 'a', description: 'no severity', violatingResources: [resource] },
        { ruleName: 'b', description: 'a warning', severity: 'warning', violatingResources: [resource] },
      ],
    };
  }
}

test('findings without a severity become errors; the rest of the report and the plugin\'s identity are kept', () => {
  const strict = new StrictValidationPlugin(new FakePlugin());
  expect([strict.name, strict.version, strict.ruleIds]).toEqual(['fake-plugin', '1.2.3', ['a', 'b']]);
  const report = strict.validate({ templatePaths: ['t.json'], appConstruct: new App() } as IPolicyValidationContextBeta1);
  expect(report).toEqual({
    success: false,
    metadata: { x: 'y' },
    violations: [
      { ruleName: 'a', description: 'no severity', severity: 'error', violatingResources: [resource] },
      { ruleName: 'b', description: 'a warning', severity: 'warning', violatingResources: [resource] },
    ],
  });
});
