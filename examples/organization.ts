/**
 * Bedrock governance across an AWS organization, in one CDK app:
 * - the management-account stack: the direct-invocation guard as a service control policy on the members' OU,
 *   the organization-wide FOCUS 1.2 and CUR 2.0 exports, cost allocation tag activation, chargeback and
 *   attribution queries, an organization-wide anomaly monitor, the central invocation log archive, and the
 *   StackSets below;
 * - two member "shapes", each a stage with one environment-agnostic stack that a service-managed StackSet
 *   deploys to the accounts of the OU (and to accounts that join it later):
 *   `Product` (teams search and support) in three accounts x two Regions, the third with its own alert email
 *   (a template parameter overridden for that account);
 *   `Research` (team research) in its own account and one Region (each account and Region has one owner of the
 *   invocation logging setting: the synth fails when two StackSets would both apply it in one account and Region).
 *
 * Synthesize it with `npx projen example:org` (CloudFormation validation, AwsSolutionsChecks and
 * BedrockGovernanceChecks on; any finding fails it). Upload the Product member template (over the inline limit), then
 * deploy the management stack (`cdk deploy Management`): it creates the StackSets, which deploy the member stacks.
 * See docs/ORGANIZATION.md.
 */
import { App, AppProps, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  BedrockGovernance, BedrockGovernanceChecks, BedrockModel, CentralInvocationLogArchive, CrossRegionGeo, InferenceRouting, InvocationLogQueries,
  MemberAccountStage, MemberStackSet, OrganizationManagement,
} from '../src';

/** The organization of the example (ids in the AWS formats; no such organization exists). */
export const ORG = {
  managementAccount: '111122223333',
  organizationId: 'o-exampleorg1',
  membersOu: 'ou-ab12-cdefgh34',
  productAccounts: ['444455556666', '777788889999'],
  stagingAccount: '123456789012',
  researchAccount: '210987654321',
  regions: ['us-east-1', 'us-west-2'],
};

/** A member shape: a stage whose stack has a governance facade that needs no CDK asset. */
function memberShape(app: App, id: string): { stage: MemberAccountStage; gov: BedrockGovernance } {
  const stage = new MemberAccountStage(app, id);
  // A value per account: the StackSet passes it, and a deployment may override it.
  const alertEmail = new CfnParameter(stage.stack, 'AlertEmail', {
    type: 'String',
    default: 'finops@example.com',
    description: 'Who gets the budget, anomaly and alarm notifications of this account',
  }).valueAsString;
  // The central log archive of the management stack, passed by the StackSet (its ARNs are known only there).
  const archive = (name: string, description: string) => new CfnParameter(stage.stack, name, { type: 'String', description }).valueAsString;
  const gov = new BedrockGovernance(stage.stack, 'Gov', {
    alertEmails: [alertEmail],
    // Model invocation logging in every account and Region of the StackSet, applied by an inline-code function
    // (the default AwsCustomResource's code is a CDK asset, which a StackSet cannot deploy), and replicated to the
    // organization's central archive.
    invocationLogging: {
      inlineHandler: true,
      archive: {
        bucketArn: archive('ArchiveBucketArn', 'ARN of the central invocation log archive bucket'),
        keyArn: archive('ArchiveKeyArn', 'ARN of the central archive\'s KMS key'),
        account: archive('ArchiveAccount', 'Account of the central archive'),
      },
    },
    // Only the management account activates cost allocation tags.
    activateCostAllocationTags: false,
  });
  return { stage, gov };
}

/** Build the organization app (the tests synthesize the same app). */
export function createOrganizationApp(props: AppProps = {}): App {
  const app = new App(props);

  const management = new Stack(app, 'Management', {
    env: { account: ORG.managementAccount, region: 'us-east-1' },
    description: 'cdk-bedrock-governance: management account (guard SCP, organization exports, tag activation, member StackSets)',
  });
  const org = new OrganizationManagement(management, 'Org', {
    guardTargetIds: [ORG.membersOu],
    chargeback: { workGroupName: 'bedrock-org-chargeback' },
    attribution: { workGroupName: 'bedrock-org-attribution' },
    anomalyEmails: ['finops@example.com'],
  });

  // One bucket for the invocation logs of every member account (replicated from each account's log bucket).
  const logArchive = new CentralInvocationLogArchive(management, 'LogArchive', { organizationId: ORG.organizationId });
  // Queried from one place: one table over every member account's and Region's folders of the archive.
  new InvocationLogQueries(management, 'OrgInvocationLogQueries', {
    bucket: logArchive.bucket,
    logsAccounts: [...ORG.productAccounts, ORG.stagingAccount, ORG.researchAccount],
    logsRegions: ORG.regions,
    databaseName: 'org_invocation_logs',
    workGroupName: 'bedrock-org-invocation-logs',
  });
  const archiveParameters = {
    ArchiveBucketArn: logArchive.destination.bucketArn,
    ArchiveKeyArn: logArchive.destination.keyArn,
    ArchiveAccount: logArchive.destination.account,
  };

  const product = memberShape(app, 'Product');
  const us = InferenceRouting.crossRegion(CrossRegionGeo.US);
  const search = product.gov.addTeam('search', {
    costCenter: 'CC-1042', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5], routing: us, monthlyBudgetUsd: 5000,
  });
  // The role the search API runs as, in every account of the StackSet.
  const searchApi = new iam.Role(product.stage.stack, 'SearchApiRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: 'Search API: Claude through the search team profile of this account only',
  });
  search.grantInvoke(searchApi);
  search.acknowledgeGrantWildcards(searchApi);
  const productStackSet = new MemberStackSet(management, 'ProductStackSet', {
    stackSetName: 'bedrock-governance-product',
    memberStack: product.stage.stack,
    // Two teams with logging, budgets, alarms and a dashboard pass the 51,200 bytes CloudFormation takes inline:
    // upload <outdir>/assembly-Product/ProductMember*.template.json there before deploying the management stack.
    templateUrl: `https://bedrock-governance-templates-${ORG.managementAccount}.s3.us-east-1.amazonaws.com/product-member.template.json`,
    parameters: archiveParameters,
    deployments: [
      { organizationalUnitIds: [ORG.membersOu], accounts: ORG.productAccounts, regions: ORG.regions },
      { organizationalUnitIds: [ORG.membersOu], accounts: [ORG.stagingAccount], regions: ORG.regions, parameterOverrides: { AlertEmail: 'staging-finops@example.com' } },
    ],
  });
  // Added after the StackSet: it is in the StackSet's template all the same (read at synthesis).
  const support = product.gov.addTeam('support', {
    costCenter: 'CC-2001', environment: 'prod', models: [BedrockModel.NOVA_LITE], interactive: false, monthlyBudgetUsd: 800,
  });
  support.grantInvoke(new iam.Role(product.stage.stack, 'SupportWorkerRole', {
    assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
    description: 'Support ticket classifier: Nova Lite through the support team profile of this account only',
  }));

  const research = memberShape(app, 'Research');
  research.gov.addTeam('research', {
    costCenter: 'CC-3300', environment: 'prod', models: [BedrockModel.CLAUDE_OPUS_4_5], routing: InferenceRouting.global(), monthlyBudgetUsd: 12000,
  });
  const researchStackSet = new MemberStackSet(management, 'ResearchStackSet', {
    stackSetName: 'bedrock-governance-research',
    memberStack: research.stage.stack,
    parameters: archiveParameters,
    deployments: [{ organizationalUnitIds: [ORG.membersOu], accounts: [ORG.researchAccount], regions: ['us-east-1'] }],
  });

  // Organization-wide budgets per team, beside each account's own budgets: the team tag AND the accounts its
  // StackSet names (LINKED_ACCOUNT; a StackSet deploying to whole OUs would leave the tag filter alone).
  for (const [gov, memberStackSet] of [[product.gov, productStackSet], [research.gov, researchStackSet]] as const) {
    for (const team of gov.teams) {
      org.addTeamBudget(team, { monthlyLimitUsd: 20000, emails: ['finops@example.com'], memberStackSet });
    }
  }

  // Both rule packs: registered on the app, they check the member stages too.
  Validations.of(app).addPlugins(new BedrockGovernanceChecks(), new AwsSolutionsChecks(app));
  return app;
}

if (require.main === module) {
  // Run in-process (tsx), not through `cdk synth`: findings of the rule packs in nested stages fail an in-process
  // synth, while in our runs the CDK CLI exited 0 on them (docs/ORGANIZATION.md).
  createOrganizationApp({ outdir: process.env.CDK_OUTDIR ?? 'examples/cdk.out.org' }).synth();
}
