import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { only, twoTeams } from './budgets-fixtures';
import { BedrockModel, Team } from '../../src';
import {
  AnomalyAlertFrequency, AnomalyMonitorKind, AnomalyMonitorScope, AnomalyThresholdCombination,
  CostAnomalyDetection, CostTagKeyForm, GovernanceAlertTopic,
} from '../../src/budgets';
import { cleanupOutdirs } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const absolute = (v: string) => ({ Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [v] } });
const percentage = (v: string) => ({ Dimensions: { Key: 'ANOMALY_TOTAL_IMPACT_PERCENTAGE', MatchOptions: ['GREATER_THAN_OR_EQUAL'], Values: [v] } });

describe('CostAnomalyDetection', () => {
  test('a CUSTOM monitor over the team tag values and an IMMEDIATE subscription to SNS with both thresholds (AND)', () => {
    const { stack, alpha, bravo } = twoTeams();
    const alerts = new GovernanceAlertTopic(stack, 'Alerts');
    const detection = new CostAnomalyDetection(stack, 'Anomalies', {
      monitor: AnomalyMonitorScope.teams([alpha, bravo]), topic: alerts.topic, thresholdUsd: 50, thresholdPercent: 20,
    });
    const template = Template.fromStack(stack);
    const monitor = only(template, 'AWS::CE::AnomalyMonitor');
    expect(monitor.resource.Properties).toEqual({
      MonitorName: expect.stringMatching(/^S-Anomalies-[0-9A-F]{8}$/),
      MonitorType: 'CUSTOM',
      MonitorSpecification: '{"Tags":{"Key":"team","Values":["alpha","bravo"]}}',
    });
    const subscription = only(template, 'AWS::CE::AnomalySubscription').resource.Properties;
    expect(subscription).toEqual({
      SubscriptionName: expect.stringMatching(/^S-Anomalies-[0-9A-F]{8}-Subscription$/),
      MonitorArnList: [{ 'Fn::GetAtt': [monitor.id, 'MonitorArn'] }],
      Frequency: 'IMMEDIATE',
      ThresholdExpression: JSON.stringify({ And: [absolute('50'), percentage('20')] }),
      Subscribers: [{ Type: 'SNS', Address: { Ref: stack.getLogicalId(alerts.topic.node.defaultChild as sns.CfnTopic) } }],
    });
    expect(stack.resolve(detection.monitorArn)).toEqual({ 'Fn::GetAtt': [monitor.id, 'MonitorArn'] });
    // valid JSON, as Cost Explorer parses it
    expect(JSON.parse(subscription.ThresholdExpression).And).toHaveLength(2);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('DAILY email summary with the default $100 threshold; OR combination; percentage only; user-prefixed key', () => {
    const { stack, alpha } = twoTeams();
    new CostAnomalyDetection(stack, 'Daily', { monitor: AnomalyMonitorScope.teams([alpha]), emails: ['finops@example.com'] });
    new CostAnomalyDetection(stack, 'Either', {
      monitor: AnomalyMonitorScope.teams([alpha], CostTagKeyForm.USER_PREFIXED),
      emails: ['finops@example.com'],
      frequency: AnomalyAlertFrequency.WEEKLY,
      thresholdUsd: 10,
      thresholdPercent: 40,
      thresholdCombination: AnomalyThresholdCombination.OR,
    });
    new CostAnomalyDetection(stack, 'Pct', { monitor: AnomalyMonitorScope.teams([alpha]), emails: ['finops@example.com'], thresholdPercent: 25 });
    const template = Template.fromStack(stack);
    const subscriptions = Object.values<any>(template.findResources('AWS::CE::AnomalySubscription')).map((s) => s.Properties);
    expect(subscriptions.map((s) => [s.Frequency, JSON.parse(s.ThresholdExpression), s.Subscribers])).toEqual([
      ['DAILY', absolute('100'), [{ Type: 'EMAIL', Address: 'finops@example.com' }]],
      ['WEEKLY', { Or: [absolute('10'), percentage('40')] }, [{ Type: 'EMAIL', Address: 'finops@example.com' }]],
      ['DAILY', percentage('25'), [{ Type: 'EMAIL', Address: 'finops@example.com' }]],
    ]);
    const monitors = Object.values<any>(template.findResources('AWS::CE::AnomalyMonitor')).map((m) => m.Properties.MonitorSpecification);
    expect(monitors[1]).toBe('{"Tags":{"Key":"user:team","Values":["alpha"]}}');
  });

  test('the AWS-services monitor warns that one may already exist; an existing monitor is subscribed to by ARN', () => {
    const { stack } = twoTeams();
    const arn = 'arn:aws:ce::111122223333:anomalymonitor/abcd1234-ab12-cd34-ef56-abcdef123456';
    const services = new CostAnomalyDetection(stack, 'Services', { monitor: AnomalyMonitorScope.awsServices() });
    const existing = new CostAnomalyDetection(stack, 'Existing', { monitor: AnomalyMonitorScope.fromMonitorArn(arn), emails: ['a@example.com'] });
    const template = Template.fromStack(stack);
    expect(only(template, 'AWS::CE::AnomalyMonitor').resource.Properties).toEqual({
      MonitorName: expect.stringMatching(/^S-Services-/), MonitorType: 'DIMENSIONAL', MonitorDimension: 'SERVICE',
    });
    expect(services.subscription).toBeUndefined();
    expect(existing.monitor).toBeUndefined();
    expect(existing.monitorArn).toBe(arn);
    expect(only(template, 'AWS::CE::AnomalySubscription').resource.Properties.MonitorArnList).toEqual([arn]);
    expect(AnomalyMonitorScope.fromMonitorArn(arn).kind).toBe(AnomalyMonitorKind.EXISTING);
    Annotations.fromStack(stack).hasWarning('/S/Services', Match.stringLikeRegexp('AWS allows one AWS-services \\(DIMENSIONAL SERVICE\\) anomaly monitor per account'));
  });

  test('addSubscription: IMMEDIATE to the topic beside a WEEKLY email summary', () => {
    const { stack, alpha } = twoTeams();
    const alerts = new GovernanceAlertTopic(stack, 'Alerts');
    const detection = new CostAnomalyDetection(stack, 'Anomalies', { monitor: AnomalyMonitorScope.teams([alpha]), topic: alerts.topic });
    detection.addSubscription('Weekly', { frequency: AnomalyAlertFrequency.WEEKLY, emails: ['cfo@example.com'], thresholdUsd: 500, subscriptionName: 'bedrock-weekly' });
    const subscriptions = Object.values<any>(Template.fromStack(stack).findResources('AWS::CE::AnomalySubscription')).map((s) => s.Properties);
    expect(subscriptions.map((s) => [s.Frequency, s.SubscriptionName.replace(/[0-9A-F]{8}/, 'HASH')])).toEqual([
      ['IMMEDIATE', 'S-Anomalies-HASH-Subscription'],
      ['WEEKLY', 'bedrock-weekly'],
    ]);
  });

  test('outside us-east-1 the construct warns (the CE resource types were reported to exist only there)', () => {
    const { stack, alpha } = twoTeams('eu-west-1');
    new CostAnomalyDetection(stack, 'Anomalies', { monitor: AnomalyMonitorScope.teams([alpha]) });
    Annotations.fromStack(stack).hasWarning('/S/Anomalies', Match.stringLikeRegexp('The stack is in eu-west-1\\. AWS::CE::AnomalyMonitor and AWS::CE::AnomalySubscription'));
  });
});

describe('CostAnomalyDetection validation', () => {
  const setup = () => {
    const { stack, alpha, bravo } = twoTeams();
    const topic = new GovernanceAlertTopic(stack, 'Alerts').topic;
    return { stack, alpha, bravo, topic };
  };

  test('IMMEDIATE with email', () => {
    const { stack, alpha, topic } = setup();
    expect(() => new CostAnomalyDetection(stack, 'A', { monitor: AnomalyMonitorScope.teams([alpha]), topic, emails: ['a@example.com'] }))
      .toThrow('S/A: invalid emails ["a@example.com"]: IMMEDIATE anomaly alerts go only to an SNS topic. Pass topic (and subscribe the addresses to it), or use AnomalyAlertFrequency.DAILY or WEEKLY for emails');
    expect(() => new CostAnomalyDetection(stack, 'B', { monitor: AnomalyMonitorScope.teams([alpha]), frequency: AnomalyAlertFrequency.IMMEDIATE, emails: ['a@example.com'] }))
      .toThrow('S/B: invalid emails ["a@example.com"]: IMMEDIATE anomaly alerts go only to an SNS topic.');
    expect(() => new CostAnomalyDetection(stack, 'C', { monitor: AnomalyMonitorScope.teams([alpha]), frequency: AnomalyAlertFrequency.IMMEDIATE, emails: [] }))
      .toThrow('S/C: IMMEDIATE anomaly alerts need an SNS topic. Pass topic, or use AnomalyAlertFrequency.DAILY or WEEKLY with emails');
  });

  test('DAILY or WEEKLY with a topic, or without email', () => {
    const { stack, alpha, topic } = setup();
    expect(() => new CostAnomalyDetection(stack, 'A', { monitor: AnomalyMonitorScope.teams([alpha]), topic, frequency: AnomalyAlertFrequency.DAILY }))
      .toThrow("S/A: invalid frequency 'DAILY': DAILY anomaly summaries go only to email addresses, not to an SNS topic. Use AnomalyAlertFrequency.IMMEDIATE for the topic, and addSubscription() for an email summary");
    expect(() => new CostAnomalyDetection(stack, 'B', { monitor: AnomalyMonitorScope.teams([alpha]), frequency: AnomalyAlertFrequency.WEEKLY, emails: [] }))
      .toThrow('S/B: WEEKLY anomaly summaries need at least one email address. Pass emails');
    const detection = new CostAnomalyDetection(stack, 'C', { monitor: AnomalyMonitorScope.teams([alpha]), topic });
    expect(() => detection.addSubscription('Digest', { frequency: AnomalyAlertFrequency.WEEKLY, topic }))
      .toThrow("S/C: invalid Digest.frequency 'WEEKLY': WEEKLY anomaly summaries go only to email addresses, not to an SNS topic.");
  });

  test('more than 10 emails', () => {
    const { stack, alpha } = setup();
    const emails = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`);
    expect(() => new CostAnomalyDetection(stack, 'A', { monitor: AnomalyMonitorScope.teams([alpha]), emails }))
      .toThrow(`S/A: invalid emails ${JSON.stringify(emails)}: 11 email subscribers, but AWS takes at most 10 per notification`);
  });

  test.each([
    [{ thresholdUsd: 0 }, 'S/A: invalid thresholdUsd 0: amounts in USD must be finite numbers greater than 0. Pass the smallest anomaly impact worth an alert, e.g. 100'],
    [{ thresholdUsd: -5 }, 'S/A: invalid thresholdUsd -5: amounts in USD must be finite numbers greater than 0.'],
    [{ thresholdPercent: 0 }, 'S/A: invalid thresholdPercent 0: the impact percentage must be a finite number greater than 0. Pass e.g. 20 for 20% above the expected spend'],
  ])('thresholds %j', (thresholds, message) => {
    const { stack, alpha } = setup();
    expect(() => new CostAnomalyDetection(stack, 'A', { monitor: AnomalyMonitorScope.teams([alpha]), emails: ['a@example.com'], ...thresholds })).toThrow(message);
  });

  test('team monitors: no team, a team twice, teams with different tag keys', () => {
    const { stack, alpha } = setup();
    const other = new Team(stack, 'Other', {
      teamName: 'other', costCenter: 'CC', environment: 'dev', models: [BedrockModel.NOVA_MICRO], costTagKeys: { team: 'squad' },
    });
    expect(() => new CostAnomalyDetection(stack, 'A', { monitor: AnomalyMonitorScope.teams([]) }))
      .toThrow('S/A: invalid monitor []: AnomalyMonitorScope.teams() needs at least one team. Pass the teams to watch');
    expect(() => new CostAnomalyDetection(stack, 'B', { monitor: AnomalyMonitorScope.teams([alpha, alpha]) }))
      .toThrow("S/B: invalid monitor 'alpha': the team is listed twice. List each team once");
    expect(() => new CostAnomalyDetection(stack, 'C', { monitor: AnomalyMonitorScope.teams([alpha, other]) }))
      .toThrow('S/C: invalid monitor ["team","squad"]: the teams use different team tag keys, and one monitor filters on one key. Create one CostAnomalyDetection per tag key');
  });

  test('names', () => {
    const { stack, alpha } = setup();
    expect(() => new CostAnomalyDetection(stack, 'A', { monitor: AnomalyMonitorScope.teams([alpha]), monitorName: '' }))
      .toThrow("S/A: invalid monitorName '': names must be 1-1024 characters long without control characters. Pass a shorter, printable name");
  });
});
