/**
 * The "bad" app: an ungoverned Bedrock setup that the BedrockGovernance pack stops at synth time.
 *
 * - a role allowed `bedrock:InvokeModel` on `*` (direct model calls, no profile, no attribution)
 * - an application inference profile without cost allocation tags
 * - no model invocation logging anywhere in the app
 *
 * `npx projen example:bad` runs `cdk synth` on it: the command must fail and print the findings.
 */
import { App, AppProps, Stack, Validations } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockGovernanceChecks, BedrockModel } from '../src';

/** Build the bad app (the tests synthesize the same app). */
export function createBadApp(props: AppProps = {}): App {
  const app = new App(props);
  const stack = new Stack(app, 'Ungoverned', {
    env: { account: '111122223333', region: 'us-east-1' },
    description: 'cdk-bedrock-governance bad example: direct model access, an untagged profile, no invocation logging',
  });

  // A profile shared by everyone, with no cost allocation tags: its spend cannot be charged to a team.
  new bedrock.CfnApplicationInferenceProfile(stack, 'SharedProfile', {
    inferenceProfileName: 'shared-haiku',
    modelSource: {
      copyFrom: `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:inference-profile/us.${BedrockModel.CLAUDE_HAIKU_4_5.modelId}`,
    },
  });

  // An API role that may call any model directly, bypassing every profile.
  const api = new iam.Role(stack, 'ApiRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Chat API: calls Bedrock models directly',
  });
  api.addToPolicy(new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources: ['*'] }));

  // No InvocationLogging: nothing records who called which model.

  Validations.of(app).addPlugins(new BedrockGovernanceChecks());
  return app;
}

if (require.main === module) {
  createBadApp().synth();
}
