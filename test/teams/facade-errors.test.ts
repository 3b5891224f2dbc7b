import { Stack, Token } from 'aws-cdk-lib';
import { BedrockGovernance, BedrockGovernanceProps, BedrockModel, Team } from '../../src';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

const TEAM = { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE] };

function facade(props: BedrockGovernanceProps = {}): BedrockGovernance {
  return new BedrockGovernance(new Stack(testApp(), 'S', { env: ENV }), 'Gov', props);
}

describe('errors name what the user passed', () => {
  test.each([
    [{ monthlyBudgetUsd: -5 }, "S/Gov/search: invalid monthlyBudgetUsd -5: amounts in USD must be finite numbers greater than 0. Pass the team's monthly budget in USD, e.g. 5000"],
    [{ monthlyBudgetUsd: 0 }, 'S/Gov/search: invalid monthlyBudgetUsd 0: amounts in USD'],
    [{ anomalyThresholdUsd: NaN }, 'S/Gov/search: invalid anomalyThresholdUsd NaN: amounts in USD must be finite numbers greater than 0. Pass the smallest anomaly impact worth an alert, in USD, e.g. 100'],
  ])('addTeam %j', (options, message) => {
    expect(() => facade().addTeam('search', { ...TEAM, ...options })).toThrow(message);
  });

  test('a budget that is a token is not checked', () => {
    const gov = facade();
    expect(() => gov.addTeam('search', { ...TEAM, monthlyBudgetUsd: Token.asNumber({ Ref: 'Budget' }) })).not.toThrow();
  });

  test('an empty team name gets our message, not CDK\'s "Only root constructs may have an empty ID"', () => {
    expect(() => facade().addTeam('', TEAM)).toThrow(
      "S/Gov: invalid teamName '': team names may contain only letters and digits, with single '-' or '_' between them. Use e.g. 'my-team'");
    const stack = new Stack(testApp(), 'S', { env: ENV });
    expect(() => new Team(stack, '', { ...TEAM, teamName: 'search' })).toThrow(
      "S: invalid id '': a construct id cannot be empty. Pass the team's name, 'search'");
  });

  test.each([
    [0, 'S/Gov: invalid templateBudgetBytes 0: the budget is a positive whole number of bytes, at most 1,048,576 (CloudFormation\'s 1 MB limit for a template in S3). Pass e.g. 800000, the default, which leaves room for what is added after placement'],
    [-1, 'S/Gov: invalid templateBudgetBytes -1: the budget is a positive whole number of bytes'],
    [1.5, 'S/Gov: invalid templateBudgetBytes 1.5: the budget is a positive whole number of bytes'],
    [1_048_577, 'S/Gov: invalid templateBudgetBytes 1048577: the budget is a positive whole number of bytes, at most 1,048,576'],
  ])('templateBudgetBytes %p', (templateBudgetBytes, message) => {
    expect(() => facade({ templateBudgetBytes })).toThrow(message);
  });

  test('templateBudgetBytes at the limit, and as a token, are accepted', () => {
    expect(() => facade({ templateBudgetBytes: 1_048_576 })).not.toThrow();
    expect(() => facade({ templateBudgetBytes: Token.asNumber({ Ref: 'Bytes' }) })).not.toThrow();
  });
});
