import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { only } from './budgets-fixtures';
import { GovernanceAlertTopic } from '../../src/budgets';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

function newStack(): Stack {
  return new Stack(testApp(), 'S', { env: ENV });
}

const sourceAccount = { StringEquals: { 'aws:SourceAccount': '111122223333' } };
const budgetsArn = { ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':budgets::111122223333:*']] } } };
const alarmsArn = { ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:111122223333:alarm:*']] } } };

describe('GovernanceAlertTopic', () => {
  test('a KMS-encrypted, TLS-only topic that Budgets, Cost Anomaly Detection and CloudWatch alarms may publish to', () => {
    const stack = newStack();
    const alerts = new GovernanceAlertTopic(stack, 'Alerts', { emails: ['finops@example.com', 'lead@example.com'] });
    const template = Template.fromStack(stack);
    const key = only(template, 'AWS::KMS::Key');
    const topic = only(template, 'AWS::SNS::Topic');
    expect(key.resource.Properties.EnableKeyRotation).toBe(true);
    expect(key.resource.DeletionPolicy).toBe('Retain');
    expect(topic.resource.Properties).toEqual({
      DisplayName: 'Bedrock governance alerts',
      KmsMasterKeyId: { 'Fn::GetAtt': [key.id, 'Arn'] },
    });
    expect(stack.resolve(alerts.topicArn)).toEqual({ Ref: topic.id });

    const topicArn = { Ref: topic.id };
    const publish = (sid: string, service: string, condition: any) => ({
      Sid: sid, Effect: 'Allow', Principal: { Service: service }, Action: 'sns:Publish', Resource: topicArn, Condition: condition,
    });
    expect(only(template, 'AWS::SNS::TopicPolicy').resource.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'AllowPublishThroughSSLOnly',
        Effect: 'Deny',
        Principal: '*',
        Action: 'sns:Publish',
        Resource: topicArn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      publish('AllowBudgetsToPublish', 'budgets.amazonaws.com', { ...sourceAccount, ...budgetsArn }),
      publish('AllowCostAnomalyDetectionToPublish', 'costalerts.amazonaws.com', sourceAccount),
      publish('AllowCloudWatchAlarmsToPublish', 'cloudwatch.amazonaws.com', { ...sourceAccount, ...alarmsArn }),
    ]);

    const useKey = (sid: string, service: string, condition: any) => ({
      Sid: sid, Effect: 'Allow', Principal: { Service: service }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', Condition: condition,
    });
    const keyStatements = key.resource.Properties.KeyPolicy.Statement;
    expect(keyStatements.slice(1)).toEqual([
      {
        // Control Tower CT.KMS.PR.3: only AWS services may create grants
        Sid: 'DenyCreateGrantExceptForAwsServices',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'kms:CreateGrant',
        Resource: '*',
        Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
      },
      useKey('AllowBudgetsToUseTheKey', 'budgets.amazonaws.com', { ...sourceAccount, ...budgetsArn }),
      useKey('AllowCostAnomalyDetectionToUseTheKey', 'costalerts.amazonaws.com', sourceAccount),
      useKey('AllowCloudWatchAlarmsToUseTheKey', 'cloudwatch.amazonaws.com', { ...sourceAccount, ...alarmsArn }),
    ]);
    // the first statement is CDK's account-root administration statement
    expect(keyStatements[0].Action).toBe('kms:*');

    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'email', TopicArn: topicArn }, 2);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'lead@example.com' });
  });

  test('publishers can be turned off one by one, and the key removal policy changed', () => {
    const stack = newStack();
    new GovernanceAlertTopic(stack, 'Alerts', { allowBudgets: false, allowCloudWatchAlarms: false, removalPolicy: RemovalPolicy.DESTROY });
    const template = Template.fromStack(stack);
    const statements = only(template, 'AWS::SNS::TopicPolicy').resource.Properties.PolicyDocument.Statement;
    expect(statements.map((s: any) => s.Sid)).toEqual(['AllowPublishThroughSSLOnly', 'AllowCostAnomalyDetectionToPublish']);
    const key = only(template, 'AWS::KMS::Key');
    expect(key.resource.Properties.KeyPolicy.Statement.map((s: any) => s.Sid)).toEqual([undefined, 'DenyCreateGrantExceptForAwsServices', 'AllowCostAnomalyDetectionToUseTheKey']);
    expect(key.resource.DeletionPolicy).toBe('Delete');
    template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('an imported key is used as is, with a warning to add the statements to its policy', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Imported', 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const alerts = new GovernanceAlertTopic(stack, 'Alerts', { encryptionKey: key });
    expect(alerts.encryptionKey).toBe(key);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    Annotations.fromStack(stack).hasWarning('/S/Alerts', Match.stringLikeRegexp(
      'The key policy of the imported encryptionKey cannot be changed from here. Allow budgets.amazonaws.com, costalerts.amazonaws.com, cloudwatch.amazonaws.com kms:GenerateDataKey\\* and kms:Decrypt'));
  });

  test('a created key gives no warning', () => {
    const stack = newStack();
    new GovernanceAlertTopic(stack, 'Alerts');
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('bad emails', () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `user${i}@example.com`);
    expect(() => new GovernanceAlertTopic(newStack(), 'Alerts', { emails: eleven }))
      .toThrow(`S/Alerts: invalid emails ${JSON.stringify(eleven)}: 11 email subscribers, but AWS takes at most 10 per notification (plus one SNS topic). Subscribe the extra addresses to an SNS topic and pass the topic instead`);
    expect(() => new GovernanceAlertTopic(newStack(), 'Alerts', { emails: ['finops'] }))
      .toThrow("S/Alerts: invalid emails[0] 'finops': not an email address. Pass an address such as 'finops@example.com'");
    expect(() => new GovernanceAlertTopic(newStack(), 'Alerts', { emails: ['a@example.com', 'A@example.com'] }))
      .toThrow("S/Alerts: invalid emails[1] 'A@example.com': the address is listed twice. List each address once");
  });

  test('passes AwsSolutionsChecks with no acknowledgement', () => {
    const app = testApp();
    new GovernanceAlertTopic(new Stack(app, 'S', { env: ENV }), 'Alerts', { emails: ['finops@example.com'] });
    expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  });
});
