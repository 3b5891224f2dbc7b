import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { newStack } from './monitoring-fixtures';
import { GovernanceDashboard } from '../../src/monitoring';
import { joinToSub, shortId } from '../../src/monitoring/private/plain-widget';

describe('plain dashboard widgets', () => {
  test('short ids are unique, valid CloudWatch ids (a lowercase letter, then letters, digits, _), at most two characters for 1,664', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => shortId(i));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9_]*$/);
    expect(ids.slice(0, 27)).toEqual([...'abcdefghijklmnopqrstuvwxyz', 'aa']);
    expect(Math.max(...ids.slice(0, 1664).map((id) => id.length))).toBe(2);
    expect(shortId(1664)).toHaveLength(3);
  });

  test('joinToSub: references in the text, other values as variables, literal ${ escaped, nested joins flattened', () => {
    expect(joinToSub('plain')).toBe('plain');
    expect(joinToSub({ 'Fn::Join': [',', ['a', 'b']] })).toEqual({ 'Fn::Join': [',', ['a', 'b']] });
    expect(joinToSub({
      'Fn::Join': ['', [
        '{"a":"', { Ref: 'AWS::Region' }, '","b":"', { 'Fn::GetAtt': ['Profile1', 'InferenceProfileId'] },
        '","c":"${x}","d":"', { 'Fn::ImportValue': 'Out' }, '","e":"', { 'Fn::ImportValue': 'Out' },
        '","f":"', { 'Fn::Join': ['', ['<', { Ref: 'Alarm' }, '>']] }, '"}',
      ]],
    })).toEqual({
      'Fn::Sub': ['{"a":"${AWS::Region}","b":"${Profile1.InferenceProfileId}","c":"${!x}","d":"${v0}","e":"${v0}","f":"<${Alarm}>"}',
        { v0: { 'Fn::ImportValue': 'Out' } }],
    });
  });

  test('widgets added to the L2 dashboard by the user stay in the body, tokens included', () => {
    const stack: Stack = newStack();
    const dashboard = new GovernanceDashboard(stack, 'Dashboard');
    const topic = new cloudwatch.Alarm(stack, 'Mine', { metric: new cloudwatch.Metric({ namespace: 'N', metricName: 'M' }), threshold: 1, evaluationPeriods: 1 });
    dashboard.dashboard.addWidgets(new cloudwatch.AlarmWidget({ alarm: topic, title: 'mine ${not a reference}' }));
    const resource = Object.values<any>(Template.fromStack(stack).toJSON().Resources).find((r) => r.Type === 'AWS::CloudWatch::Dashboard');
    const text: string = resource.Properties.DashboardBody['Fn::Sub'];
    expect(text).toContain('"title":"mine ${!not a reference}"');
    expect(text).toContain(`\${${stack.getLogicalId(topic.node.defaultChild as cloudwatch.CfnAlarm)}.Arn}`);
  });
});
