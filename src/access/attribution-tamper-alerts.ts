import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { GOVERNANCE_POLICY_PATH } from '../tags/governance-tags';

/** Properties of `AttributionTamperAlerts`. */
export interface AttributionTamperAlertsProps {
  /**
   * The topic the alerts go to. An owned topic gets a policy statement for `events.amazonaws.com`, and its
   * customer-managed key (if any) a key policy statement; give an imported topic those yourself.
   */
  readonly topic: sns.ITopic;

  /**
   * Also watch IAM: the library's policies (path `/bedrock-governance/`) detached, deleted or versioned,
   * and permissions boundaries removed. IAM is a global service whose CloudTrail events reach EventBridge
   * in us-east-1 only, so this rule fires only in a us-east-1 stack.
   *
   * @default true
   */
  readonly watchIam?: boolean;
}

/** The Bedrock management events that change cost attribution. */
const BEDROCK_TAMPER_EVENTS = [
  'CreateInferenceProfile',
  'TagResource',
  'UntagResource',
  'DeleteInferenceProfile',
  'PutModelInvocationLoggingConfiguration',
  'DeleteModelInvocationLoggingConfiguration',
];

/** The IAM management events that remove or change the guard. */
const IAM_TAMPER_EVENTS = [
  'DetachRolePolicy',
  'DetachUserPolicy',
  'DetachGroupPolicy',
  'DeletePolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'DeletePolicyVersion',
];

/** The IAM events that remove a permissions boundary (whatever the policy). */
const BOUNDARY_TAMPER_EVENTS = ['DeleteRolePermissionsBoundary', 'DeleteUserPermissionsBoundary'];

/**
 * Runtime detection of changes to cost attribution: EventBridge rules on CloudTrail management events
 * (`AWS API Call via CloudTrail`) that send each change to a topic, naming the principal, the event, the
 * resource and the tags (an input transformer).
 *
 * Watched: `CreateInferenceProfile`, `TagResource` / `UntagResource` (any Bedrock resource),
 * `DeleteInferenceProfile`, `Put/DeleteModelInvocationLoggingConfiguration`, and (in us-east-1) the
 * library's IAM policies being detached, deleted or versioned and permissions boundaries being removed.
 * Calls the guard denied are reported too (with their error code): an attempt is worth knowing.
 *
 * CloudTrail must be on: EventBridge receives these events only when a trail logs write management events
 * for the account and Region (an organization trail counts). The alerts arrive within minutes; they
 * detect, the guard prevents.
 */
export class AttributionTamperAlerts extends Construct {
  /** The rule on Bedrock events. */
  public readonly bedrockRule: events.Rule;

  /**
   * The rule on IAM events.
   *
   * @default - undefined when `watchIam` is false
   */
  public readonly iamRule?: events.Rule;

  constructor(scope: Construct, id: string, props: AttributionTamperAlertsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.bedrockRule = new events.Rule(this, 'BedrockRule', {
      description: 'Bedrock cost attribution changes: inference profiles created, retagged or deleted, invocation logging changed',
      eventPattern: {
        source: ['aws.bedrock'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventSource: ['bedrock.amazonaws.com'], eventName: BEDROCK_TAMPER_EVENTS },
      },
    });
    this.bedrockRule.addTarget(new targets.SnsTopic(props.topic, { message: message('Bedrock cost attribution changed') }));
    if (props.watchIam ?? true) {
      this.iamRule = new events.Rule(this, 'IamRule', {
        description: 'The Bedrock governance guard detached, changed or removed as a permissions boundary',
        eventPattern: {
          source: ['aws.iam'],
          detailType: ['AWS API Call via CloudTrail'],
          detail: {
            $or: [
              { eventName: IAM_TAMPER_EVENTS, requestParameters: { policyArn: [{ wildcard: `*:policy${GOVERNANCE_POLICY_PATH}*` }] } },
              { eventName: BOUNDARY_TAMPER_EVENTS },
            ],
          },
        },
      });
      this.iamRule.addTarget(new targets.SnsTopic(props.topic, { message: message('Bedrock governance guard changed') }));
    }
    props.topic.masterKey?.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowEventBridgeToUseTheKey',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        // a pattern, not the rule ARNs: the key must exist before the topic, the topic before the rules
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/*` },
      },
    }), true);
  }
}

function message(title: string): events.RuleTargetInput {
  return events.RuleTargetInput.fromObject({
    alert: title,
    event: events.EventField.fromPath('$.detail.eventName'),
    principal: events.EventField.fromPath('$.detail.userIdentity.arn'),
    account: events.EventField.account,
    region: events.EventField.region,
    time: events.EventField.time,
    request: events.EventField.fromPath('$.detail.requestParameters'),
    errorCode: events.EventField.fromPath('$.detail.errorCode'),
  });
}
