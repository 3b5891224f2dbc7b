import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { BedrockGovernance, BedrockGovernanceProps, BedrockModel } from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

/** The alarms of the template that do not notify exactly one action, the topic with this logical id. */
function alarmsNotNotifying(template: Template, topicLogicalId: string): string[] {
  const alarms = {
    ...template.findResources('AWS::CloudWatch::Alarm'),
    ...template.findResources('AWS::CloudWatch::CompositeAlarm'),
  };
  expect(Object.keys(alarms).length).toBeGreaterThan(0);
  return Object.entries(alarms)
    .filter(([, alarm]) => JSON.stringify(alarm.Properties.AlarmActions ?? []) !== JSON.stringify([{ Ref: topicLogicalId }]))
    .map(([id]) => id);
}

describe('every alarm the library creates notifies the alert topic', () => {
  test.each<[string, (stack: Stack) => BedrockGovernanceProps]>([
    ['alertEmails (the topic is made before the teams)', () => ({ alertEmails: ['finops@example.com'], invocationLogging: { cloudWatch: {} } })],
    ['no emails: the first team with a budget makes the topic, after the logging alarms exist', () => ({ invocationLogging: { cloudWatch: {} } })],
    ['your own alertTopic', (stack) => ({ alertTopic: new sns.Topic(stack, 'Mine', { enforceSSL: true }) })],
    ['your own alertTopic, also given to invocation logging (notified once)', (stack) => {
      const topic = new sns.Topic(stack, 'Mine', { enforceSSL: true });
      return { alertTopic: topic, invocationLogging: { alarmTopic: topic } };
    }],
  ])('%s', (_name, props) => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', props(stack));
    gov.addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE], monthlyBudgetUsd: 100 });
    const template = Template.fromStack(stack);
    const [topic] = Object.keys(template.findResources('AWS::SNS::Topic'));
    expect(alarmsNotNotifying(template, topic)).toEqual([]);
    // the invocation-log delivery alarms are among them
    expect(Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) => id.startsWith('GovInvocationLogging')).length)
      .toBeGreaterThanOrEqual(1);
  });

  test('without any topic (no emails, no budget, no alarms), the delivery alarms exist and notify nobody', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    new BedrockGovernance(stack, 'Gov');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ModelInvocationLogsS3DeliveryFailure' });
  });
});
