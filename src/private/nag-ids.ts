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
  const stack = Stack.of(scope);
  const cached = FLATTENED.get(stack)?.get(arn);
  if (cached !== undefined) {
    return cached;
  }
  const flat = flatten(stack.resolve(arn));
  // kept only when it names nothing but pseudo parameters: a resource's logical id may still change (renames)
  if (!/<(?!AWS::)/.test(flat)) {
    const byArn = FLATTENED.get(stack) ?? new Map<string, string>();
    byArn.set(arn, flat);
    FLATTENED.set(stack, byArn);
  }
  return flat;
}

/** ARNs already flattened, per stack (the same model ARNs recur in every team's grants). */
const FLATTENED = new WeakMap<Stack, Map<string, string>>();

/** The AwsSolutions-IAM5 finding ids for the wildcard resources among these ARNs. */
export function iam5ResourceFindingIds(scope: IConstruct, arns: string[]): string[] {
  return [...new Set(arns.map((a) => flattenForNag(scope, a)).filter((a) => a.includes('*')))]
    .map((a) => `AwsSolutions-IAM5[Resource::${a}]`);
}
