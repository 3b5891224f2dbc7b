import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/** The plugin name of `@cdklabs/cdk-validator-cfnguard` (AWS Control Tower proactive controls), as ids use it. */
const CFN_GUARD = 'cdk-validator-cfnguard';

/**
 * Control Tower control CT.KMS.PR.3: only AWS services may create grants on a key the library makes. Nothing the
 * library sets up uses grants (Bedrock, S3 with a Bucket Key, CloudWatch Logs and SNS use the key policy), and
 * services that do (for resources a user adds later) still may.
 */
export function denyCreateGrantExceptForAwsServices(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyCreateGrantExceptForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

/** Reasons for the Control Tower controls a library resource does not meet by design. */
export const CONTROL_TOWER_REASONS = {
  lambdaOutsideVpc: 'Deploy-time function that only calls AWS control-plane APIs and handles no customer data; '
    + 'a VPC would add NAT or interface endpoints for those APIs and no protection (CT.LAMBDA.PR.3)',
  logBucketNoObjectLock: 'Invocation logs hold prompts that may contain personal data and must stay deletable on request; '
    + 'retention is enforced by the lifecycle rule and versioning, not by Object Lock (CT.S3.PR.9)',
  accessLogBucketNoObjectLock: 'Server access logs of the invocation-log bucket expire with the same retention by lifecycle rule; '
    + 'Object Lock would keep them past a deliberate deletion of the logs they describe (CT.S3.PR.9)',
  logBucketNoEventNotifications: 'Nothing consumes object events of log files: Athena and the report CLI read them by prefix. '
    + 'Turn on EventBridge notifications on the bucket if a pipeline needs them (CT.S3.PR.4)',
  accessLogBucketSseS3: 'Target of S3 server access logs, which S3 delivers only to buckets encrypted with SSE-S3 (CT.S3.PR.10)',
  accessLogBucketNoAccessLogs: 'This bucket receives the server access logs; logging its own access would log the log deliveries (CT.S3.PR.2)',
} as const;

/** Acknowledge Control Tower control `rule` (a cfn-guard rule name) on exactly `scope`, with a reason. */
export function acknowledgeControl(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `${CFN_GUARD}::${rule}`, reason });
}
