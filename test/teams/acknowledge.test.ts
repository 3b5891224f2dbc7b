import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledgeFinding } from '../../src/private/acknowledge';

const ID = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:bedrock:*::foundation-model/anthropic.claude-haiku-4-5]';

function acknowledgements(c: Construct) {
  return c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
}

test('an acknowledgement writes the entry Validations.acknowledge writes, without a stack trace', () => {
  const root = new Construct(undefined as any, 'Root');
  const viaCdk = new Construct(root, 'ViaCdk');
  const ours = new Construct(root, 'Ours');
  Validations.of(viaCdk).acknowledge({ id: ID, reason: 'the reason' });
  acknowledgeFinding(ours, ID, 'the reason');
  const [expected] = acknowledgements(viaCdk);
  const [actual] = acknowledgements(ours);
  expect(actual.data).toEqual(expected.data);
  expect(expected.trace?.length).toBeGreaterThan(0);
  expect(actual.trace).toBeUndefined();
});

test('a qualified id goes through Validations.acknowledge (with its trace)', () => {
  const c = new Construct(undefined as any, 'C');
  acknowledgeFinding(c, 'AwsSolutions::AwsSolutions-IAM4', 'the reason');
  const [entry] = acknowledgements(c);
  expect(Object.values(entry.data)).toEqual(['the reason']);
  expect(entry.trace?.length).toBeGreaterThan(0);
});
