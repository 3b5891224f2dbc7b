import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { PlainCompositeAlarm } from '../../src/monitoring/private/plain-alarm';

/** Two metric alarms and a composite of them, by the L2 or by PlainCompositeAlarm, at the same paths. */
function composite(plain: boolean, scopeId = 'Alarms', actionsToo = true): Record<string, any> {
  const stack = new Stack(new App(), 'S', { env: { account: '111122223333', region: 'us-east-1' } });
  const scope = new Construct(stack, scopeId);
  const parts = [1, 2].map((i) => new cloudwatch.Alarm(scope, `Part${i}`, {
    metric: new cloudwatch.Metric({ namespace: 'AWS/Bedrock', metricName: 'Invocations' }), threshold: i, evaluationPeriods: 1,
  }));
  const alarm = plain
    ? new PlainCompositeAlarm(scope, 'Spend', { alarmDescription: 'any part', anyOf: parts })
    : new cloudwatch.CompositeAlarm(scope, 'Spend', { alarmDescription: 'any part', alarmRule: cloudwatch.AlarmRule.anyOf(...parts) });
  if (actionsToo) {
    alarm.addAlarmAction(new actions.SnsAction(new sns.Topic(stack, 'Topic')));
  }
  return Template.fromStack(stack).findResources('AWS::CloudWatch::CompositeAlarm');
}

describe('PlainCompositeAlarm', () => {
  test('writes what CompositeAlarm with AlarmRule.anyOf writes: name, rule, description, actions', () => {
    const plain = composite(true);
    expect(plain).toEqual(composite(false));
    expect(Object.values(plain)[0].Properties).toEqual({
      AlarmName: expect.stringMatching(/^SAlarmsSpend[0-9A-F]{8}$/),
      AlarmDescription: 'any part',
      AlarmRule: { 'Fn::Join': ['', ['(ALARM("', { 'Fn::GetAtt': [expect.stringMatching(/^AlarmsPart1/), 'Arn'] }, '") OR ALARM("', { 'Fn::GetAtt': [expect.stringMatching(/^AlarmsPart2/), 'Arn'] }, '"))']] },
      AlarmActions: [{ Ref: expect.stringMatching(/^Topic/) }],
    });
  });

  test('without actions, and with a name past 240 characters cut as CompositeAlarm cuts it', () => {
    expect(composite(true, 'A'.repeat(250), false)).toEqual(composite(false, 'A'.repeat(250), false));
    const name = Object.values(composite(true, 'A'.repeat(250), false))[0].Properties.AlarmName;
    expect(name).toHaveLength(240);
  });

  test('a rule past 10,240 characters is refused with the construct path and the fix', () => {
    const stack = new Stack(new App(), 'S');
    const parts = Array.from({ length: 80 }, (_, i) => cloudwatch.Alarm.fromAlarmArn(stack, `P${i}`,
      `arn:aws:cloudwatch:us-east-1:111122223333:alarm:${'a'.repeat(120)}-${i}`));
    expect(() => new PlainCompositeAlarm(stack, 'Spend', { alarmDescription: 'd', anyOf: parts }))
      .toThrow('S/Spend: the rule combining 80 alarms is about 14708 characters, over the 10240 a composite alarm holds. Split the team\'s models across more teams');
  });
});
