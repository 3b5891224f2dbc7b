/**
 * The quickstart governed app: three teams, each reaching its models only through its own
 * tagged application inference profiles, checked by cdk-nag at synth time.
 *
 * Synthesize it with `npx projen example`.
 */
import { App, AppProps, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { BedrockGovernance, BedrockModel, CrossRegionGeo, FocusVersion, InferenceRouting } from '../src';

/** Build the quickstart app (the tests synthesize the same app). */
export function createQuickstartApp(props: AppProps = {}): App {
  const app = new App(props);
  const stack = new Stack(app, 'Governance', {
    env: { account: '111122223333', region: 'us-east-1' },
    description: 'cdk-bedrock-governance quickstart: per-team Bedrock inference profiles and invoke policies',
  });

  const gov = new BedrockGovernance(stack, 'Gov', {
    profileNamePrefix: 'prod-',
    alertEmails: ['finops@example.com'], //                    budgets, anomalies and alarms
    invocationLogging: { cloudWatch: {} }, //                   S3 always; CloudWatch Logs too
    focusExport: { version: FocusVersion.V1_2 }, //            native export: this stack is in us-east-1
    chargeback: { workGroupName: 'bedrock-chargeback' }, //     Athena queries over the export
  });

  const search = gov.addTeam('search', {
    costCenter: 'CC-1042',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
    monthlyBudgetUsd: 5000,
    anomalyThresholdUsd: 250,
    caching: { expectedHitRatio: 0.7 },
  });
  const support = gov.addTeam('support', {
    costCenter: 'CC-2001',
    environment: 'prod',
    models: [BedrockModel.NOVA_MICRO, BedrockModel.NOVA_LITE],
    interactive: false, //                                     a ticket classifier: nobody watches it stream
    monthlyBudgetUsd: 800,
  });
  const research = gov.addTeam('research', {
    costCenter: 'CC-3300',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_OPUS_4_5],
    routing: InferenceRouting.global(),
    extraTags: { project: 'deep-research' },
    monthlyBudgetUsd: 12000,
  });

  // The roles the teams' applications run as.
  const searchApi = new iam.Role(stack, 'SearchApiRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Search API: Claude through the search team profiles only',
  });
  search.grantInvoke(searchApi);
  search.acknowledgeGrantWildcards(searchApi);

  const supportWorker = new iam.Role(stack, 'SupportWorkerRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: 'Support ticket classifier: batch-style, no streaming',
  });
  support.grantInvoke(supportWorker); //                        non-streaming: the team is not interactive

  const researchAgent = new iam.Role(stack, 'ResearchAgentRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Research agent: Claude Opus through the research team profile only',
  });
  research.grantInvoke(researchAgent);
  research.acknowledgeGrantWildcards(researchAgent);

  // Every check on: our governance pack and cdk-nag's AwsSolutions. Any finding fails the synth.
  Validations.of(app).addPlugins(gov.checks(), new AwsSolutionsChecks(app));
  return app;
}

if (require.main === module) {
  createQuickstartApp().synth();
}
