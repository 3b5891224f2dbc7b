import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { measuredProperties, placementExtraBytes, placementExtraStatements } from '../../private/placement-measure';

/** Resource types whose properties hold IAM policy documents (never rendered while placing teams). */
const POLICY_HOLDING_TYPES = new Set([
  'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group',
  'AWS::KMS::Key', 'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::Organizations::Policy',
]);
/** Template bytes assumed for a resource holding a policy document (a team's policies measure 1-3 KB). */
const POLICY_RESOURCE_BYTES_ESTIMATE = 3_000;
/** Template bytes assumed per statement of a policy document whose statements are known (measured: ~400). */
const POLICY_STATEMENT_BYTES_ESTIMATE = 420;

/**
 * Template bytes per resource type, as this library's resources measure in the templates CDK writes (the
 * largest seen, rounded up), for what placement must count without rendering it: the stack's own resources
 * besides teams. Dashboards are counted by the placement itself (they grow with the teams).
 */
const BYTES_BY_TYPE: Record<string, number> = {
  'AWS::Athena::NamedQuery': 2_900,
  'AWS::Athena::WorkGroup': 1_000,
  'AWS::BCMDataExports::Export': 2_000,
  'AWS::Bedrock::ApplicationInferenceProfile': 800,
  'AWS::Budgets::Budget': 2_100,
  'AWS::CloudFormation::Stack': 700,
  'AWS::CloudWatch::Alarm': 4_900,
  'AWS::CloudWatch::CompositeAlarm': 750,
  'AWS::CloudWatch::Dashboard': 5_000,
  'AWS::Glue::Table': 6_600,
  'AWS::Lambda::Function': 3_600,
  'AWS::S3::Bucket': 1_500,
  'Custom::AWS': 2_400,
};
/** Template bytes assumed for a resource of a type not in the table. */
const DEFAULT_RESOURCE_BYTES = 1_000;

/**
 * The template bytes of the CfnResources under a scope (in the given stack), estimated from their types
 * without rendering anything (nested stacks count as their one resource).
 */
export function estimatedTemplateBytes(scope: IConstruct, stack: Stack): number {
  let bytes = 0;
  const visit = (c: IConstruct): void => {
    if (c instanceof Stack && c !== stack) {
      bytes += BYTES_BY_TYPE['AWS::CloudFormation::Stack'];
      return;
    }
    if (c instanceof CfnResource) {
      bytes += POLICY_HOLDING_TYPES.has(c.cfnResourceType)
        ? POLICY_RESOURCE_BYTES_ESTIMATE
        : BYTES_BY_TYPE[c.cfnResourceType] ?? DEFAULT_RESOURCE_BYTES;
    }
    for (const child of c.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return bytes;
}

/**
 * The bytes the CfnResources under a scope (in the given stack) take in the template, as CDK writes it
 * (JSON with one space of indentation, two levels deep), and that text. This renders the resources: placement
 * calls it once per team shape, never for every team.
 */
export function renderedTemplateBytes(scope: IConstruct, stack: Stack): { bytes: number; text: string } {
  let bytes = 0;
  const texts: string[] = [];
  const visit = (c: IConstruct): void => {
    if (c instanceof Stack && c !== stack) {
      bytes += BYTES_BY_TYPE['AWS::CloudFormation::Stack'];
      return;
    }
    if (c instanceof CfnResource) {
      if (POLICY_HOLDING_TYPES.has(c.cfnResourceType)) {
        // Resolving a policy document freezes its statements, and others may still add to them: estimate,
        // from the statement count where it is known without resolving (a team's invokePolicy carries the
        // guard's deny statements: 17 statements for three models, counted as the 20 that versions before the
        // guard's statements were joined wrote, `placementExtraStatements`), so that no team moves between versions.
        const document = (c as any).policyDocument;
        const statements = (document instanceof iam.PolicyDocument ? document.statementCount : 0) + placementExtraStatements(c);
        bytes += Math.max(POLICY_RESOURCE_BYTES_ESTIMATE, statements * POLICY_STATEMENT_BYTES_ESTIMATE);
      } else {
        const text = JSON.stringify(withMeasuredProperties(c, stack, stack.resolve((c as any)._toCloudFormation())), undefined, 1);
        bytes += text.length + (text.match(/\n/g)?.length ?? 0) * 2 + placementExtraBytes(c);
        texts.push(text);
      }
    }
    for (const child of c.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return { bytes, text: texts.join('\n') };
}

/** A resource's resolved CloudFormation with the properties placement measures it with (`measureWithProperties`). */
function withMeasuredProperties(resource: CfnResource, stack: Stack, cfn: { Resources: Record<string, { Properties?: object }> }): unknown {
  const properties = measuredProperties(resource);
  if (!properties) {
    return cfn;
  }
  const resolved = stack.resolve(properties);
  const resources: Record<string, unknown> = {};
  for (const [logicalId, body] of Object.entries(cfn.Resources)) {
    resources[logicalId] = { ...body, Properties: { ...body.Properties, ...resolved } };
  }
  return { ...cfn, Resources: resources };
}

/**
 * What makes two teams take the same template bytes, bar the length of their names: the types of their
 * resources, in order, by construct path below the team (no rendering).
 */
export function shapeKey(scope: IConstruct): string {
  const parts: string[] = [];
  const base = scope.node.path.length;
  const visit = (c: IConstruct): void => {
    if (c instanceof CfnResource) {
      parts.push(`${c.node.path.slice(base)}=${c.cfnResourceType}`);
    }
    for (const child of c.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return parts.join(';');
}

/** The CfnResources under a scope that belong to the given stack (not to nested stacks below it). */
export function countResources(scope: IConstruct, stack: Stack): number {
  let count = 0;
  const visit = (c: IConstruct): void => {
    if (c instanceof Stack && c !== stack) {
      // a nested stack is one resource of its parent; its own resources are not
      count += 1;
      return;
    }
    if (c instanceof CfnResource) {
      count += 1;
    }
    for (const child of c.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return count;
}
