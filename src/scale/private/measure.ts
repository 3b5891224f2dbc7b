import { CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';

/** Resource types whose properties hold IAM policy documents (not rendered while placing teams). */
const POLICY_HOLDING_TYPES = new Set([
  'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group',
  'AWS::KMS::Key', 'AWS::S3::BucketPolicy', 'AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy', 'AWS::Organizations::Policy',
]);
/** Template bytes assumed for a resource holding a policy document (a team's policies measure 1-3 KB). */
const POLICY_RESOURCE_BYTES_ESTIMATE = 3_000;
/** Template bytes assumed per statement of a policy document whose statements are known (measured: ~400). */
const POLICY_STATEMENT_BYTES_ESTIMATE = 420;

/**
 * The bytes the CfnResources under a scope (in the given stack) take in the template, as CDK writes it
 * (JSON with one space of indentation, two levels deep).
 */
export function templateBytes(scope: IConstruct, stack: Stack): number {
  let bytes = 0;
  const visit = (c: IConstruct): void => {
    if (c instanceof Stack && c !== stack) {
      bytes += 600;
      return;
    }
    if (c instanceof CfnResource) {
      if (POLICY_HOLDING_TYPES.has(c.cfnResourceType)) {
        // Resolving a policy document freezes its statements, and others may still add to them: estimate,
        // from the statement count where it is known without resolving (a team's invokePolicy carries the
        // guard's deny statements: ~20 statements, ~8 KB as written).
        const document = (c as any).policyDocument;
        const statements = document instanceof iam.PolicyDocument ? document.statementCount : 0;
        bytes += Math.max(POLICY_RESOURCE_BYTES_ESTIMATE, statements * POLICY_STATEMENT_BYTES_ESTIMATE);
      } else {
        const text = JSON.stringify(stack.resolve((c as any)._toCloudFormation()), undefined, 1);
        bytes += text.length + (text.match(/\n/g)?.length ?? 0) * 2;
      }
    }
    for (const child of c.node.children) {
      visit(child);
    }
  };
  visit(scope);
  return bytes;
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
