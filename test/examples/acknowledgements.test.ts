import * as fs from 'fs';
import * as path from 'path';
import { Stack, StackProps, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ROOT } from './run-app';
import { BedrockGovernance, BedrockGovernanceChecks, BedrockModel } from '../../src';
import { cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'ACKNOWLEDGEMENTS.md'), 'utf8');

/** The benchmark role of docs/ACKNOWLEDGEMENTS.md, and the ids of the pack's findings on it. */
function benchmark(props: StackProps, acknowledgeId?: string): string[] {
  const app = testApp();
  const stack = new Stack(app, 'Benchmark', props);
  const role = new iam.Role(stack, 'ModelBenchmark', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['bedrock:InvokeModel'],
    resources: [`arn:${stack.partition}:bedrock:${stack.region}::foundation-model/${BedrockModel.NOVA_LITE.modelId}`],
  }));
  if (acknowledgeId) {
    Validations.of(role).acknowledge({ id: acknowledgeId, reason: 'Nightly model benchmark' });
  }
  return new BedrockGovernanceChecks().validateScope(app).violations
    .filter((v) => v.ruleName.startsWith('BedrockGovernance-IAM1'))
    .map((v) => v.ruleName);
}

describe('docs/ACKNOWLEDGEMENTS.md', () => {
  const withEnv = { env: { account: '111122223333', region: 'us-east-1' } };

  test('the ids it shows are the ids of the real findings, with and without a stack env', () => {
    const [concrete] = benchmark(withEnv);
    const [agnostic] = benchmark({});
    expect(concrete).toBe('BedrockGovernance-IAM1[Resource::arn:<AWS::Partition>:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0]');
    expect(agnostic).toBe('BedrockGovernance-IAM1[Resource::arn:<AWS::Partition>:bedrock:<AWS::Region>::foundation-model/amazon.nova-lite-v1:0]');
    expect(DOC).toContain(`id: '${concrete}'`);
    expect(DOC).toContain(`\`${agnostic}\``);
  });

  test('each id silences exactly its finding', () => {
    const [concrete] = benchmark(withEnv);
    const [agnostic] = benchmark({});
    expect(benchmark(withEnv, concrete)).toEqual([]);
    expect(benchmark({}, agnostic)).toEqual([]);
    // the other form does not match
    expect(benchmark(withEnv, agnostic)).toEqual([concrete]);
  });

  test.each([
    ['plain', 'BedrockGovernance-BUD1', false],
    ['prefixed', 'BedrockGovernance::BedrockGovernance-BUD1', true],
  ])('the %s id (%s) on one team: the other team\'s unacknowledged warning passes synth: %s', (_form, id, passes) => {
    const app = testApp();
    const stack = new Stack(app, 'S', withEnv);
    const gov = new BedrockGovernance(stack, 'Gov', { alertEmails: ['finops@example.com'] });
    const alpha = gov.addTeam('alpha', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
    gov.addTeam('beta', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
    Validations.of(alpha).acknowledge({ id, reason: 'alpha is budgeted in the payer account' });
    Validations.of(app).addPlugins(gov.checks());
    if (passes) {
      expect(() => app.synth()).not.toThrow();
    } else {
      expect(() => app.synth()).toThrow(/BedrockGovernance-BUD1/);
    }
    // the beta finding is reported either way; validateScope honours only the plain id
    const open = new BedrockGovernanceChecks().validateScope(app).violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.constructPath}`));
    expect(open).toEqual(passes
      ? ['BedrockGovernance-BUD1 S/Gov/alpha/nova-lite/Resource', 'BedrockGovernance-BUD1 S/Gov/beta/nova-lite/Resource']
      : ['BedrockGovernance-BUD1 S/Gov/beta/nova-lite/Resource']);
  });
});
