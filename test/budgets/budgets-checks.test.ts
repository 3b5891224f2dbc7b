/**
 * Every budgets and monitoring construct together: no cdk-nag AwsSolutions finding, and the
 * CloudFormation schema validation built into aws-cdk-lib (on here, off elsewhere for speed)
 * reports nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockModel, CrossRegionGeo, InferenceRouting, Team } from '../../src';
import {
  AnomalyAlertFrequency, AnomalyMonitorScope, BudgetActionApproval, BudgetEnforcement, BudgetServiceScope,
  CostAnomalyDetection, GovernanceAlertTopic, TeamBudget,
} from '../../src/budgets';
import { GovernanceDashboard, TeamUsageAlarms } from '../../src/monitoring';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

test('budgets, enforcement, anomaly detection, the alert topic, usage alarms and the dashboard pass AwsSolutionsChecks and the CloudFormation schemas', () => {
  const app = testApp({ builtinCloudFormationValidation: true });
  const stack = new Stack(app, 'Budgets', { env: ENV });
  const search = new Team(stack, 'Search', {
    teamName: 'search',
    costCenter: 'CC-1042',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const alerts = new GovernanceAlertTopic(stack, 'Alerts', { emails: ['finops@example.com'] });
  const budget = new TeamBudget(stack, 'Budget', {
    team: search, monthlyLimitUsd: 5000, topic: alerts.topic, emails: ['lead@example.com'], serviceScope: BudgetServiceScope.BEDROCK_AND_MARKETPLACE,
  });
  const api = new iam.Role(stack, 'Api', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new BudgetEnforcement(stack, 'Stop', { budget, roles: [api], approval: BudgetActionApproval.MANUAL });
  const anomalies = new CostAnomalyDetection(stack, 'Anomalies', { monitor: AnomalyMonitorScope.teams([search]), topic: alerts.topic, thresholdUsd: 100 });
  anomalies.addSubscription('Weekly', { frequency: AnomalyAlertFrequency.WEEKLY, emails: ['finops@example.com'] });
  const alarms = new TeamUsageAlarms(stack, 'Alarms', { team: search, topic: alerts.topic, hourlySpendUsd: 20, caching: {} });
  new GovernanceDashboard(stack, 'Dashboard', { teams: [search], alarms: alarms.createdAlarms() });

  expect(new AwsSolutionsChecks().validateScope(app).violations).toEqual([]);
  app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8'));
  expect(report.pluginReports.flatMap((r: any) => r.violations ?? [])).toEqual([]);
});
