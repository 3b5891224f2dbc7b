import { Stack, Validations } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { acknowledgeControl, CONTROL_TOWER_REASONS } from '../../private/control-tower';

/** Construct id of the singleton Lambda function behind every `AwsCustomResource` of a stack. */
const PROVIDER_ID = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;

/**
 * Acknowledge, on CDK's singleton `AwsCustomResource` provider function only, the AwsSolutions findings that
 * its CDK-managed runtime and role cause. Call it after creating an `AwsCustomResource` in the stack.
 */
export function acknowledgeAwsCustomResourceProvider(scope: IConstruct): void {
  const provider = Stack.of(scope).node.tryFindChild(PROVIDER_ID);
  if (!provider) {
    return;
  }
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-L1',
    reason: 'The runtime of the AwsCustomResource provider function is chosen by aws-cdk-lib; it only calls AWS APIs with the SDK bundled in that runtime.',
  });
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'aws-cdk-lib gives the AwsCustomResource provider function the AWS managed basic execution policy, which only allows writing its own CloudWatch logs.',
  });
  acknowledgeControl(provider, 'lambda_inside_vpc_check', CONTROL_TOWER_REASONS.lambdaOutsideVpc);
}

/**
 * The id of the AwsSolutions-IAM5 finding that a wildcard resource ARN causes, flattened the way cdk-nag does
 * (`{"Ref": "X"}` -> `<X>`, `Fn::GetAtt` -> `<Id.Attr>`), so it can be acknowledged exactly.
 */
export function wildcardResourceFindingId(scope: IConstruct, arn: string): string {
  const visit = (node: any): string => {
    if (node === undefined) {
      return '';
    }
    if (typeof node === 'string') {
      return node.replace(/\$\{/g, '<').replace(/}/g, '>');
    }
    if (node['Fn::Join']) {
      const [delimiter, items] = node['Fn::Join'];
      return items.map(visit).join(delimiter);
    }
    if (node['Fn::GetAtt']) {
      const [resource, attribute] = node['Fn::GetAtt'];
      return `<${visit(resource)}.${visit(attribute)}>`;
    }
    if (node.Ref) {
      return `<${visit(node.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return `AwsSolutions-IAM5[Resource::${visit(Stack.of(scope).resolve(arn))}]`;
}
