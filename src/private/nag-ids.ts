import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Render a resource ARN the way cdk-nag's AwsSolutions-IAM5 names it in a finding id:
 * `Ref` becomes `<LogicalId>` (pseudo parameters `<AWS::Partition>`), `Fn::GetAtt` becomes
 * `<LogicalId.Attribute>`, and `Fn::Join` pieces are concatenated.
 */
export function flattenForNag(scope: IConstruct, arn: string): string {
  const flatten = (v: any): string => {
    if (typeof v === 'string') {
      return v;
    }
    if (v && typeof v === 'object') {
      if ('Ref' in v) {
        return `<${v.Ref}>`;
      }
      if ('Fn::GetAtt' in v) {
        const [id, attr] = v['Fn::GetAtt'];
        return `<${id}.${attr}>`;
      }
      if ('Fn::Join' in v) {
        const [sep, parts] = v['Fn::Join'];
        return parts.map(flatten).join(sep);
      }
    }
    return JSON.stringify(v);
  };
  return flatten(Stack.of(scope).resolve(arn));
}

/** The AwsSolutions-IAM5 finding ids for the wildcard resources among these ARNs. */
export function iam5ResourceFindingIds(scope: IConstruct, arns: string[]): string[] {
  return [...new Set(arns.map((a) => flattenForNag(scope, a)).filter((a) => a.includes('*')))]
    .map((a) => `AwsSolutions-IAM5[Resource::${a}]`);
}
