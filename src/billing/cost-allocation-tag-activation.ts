import { ArnFormat, CfnOutput, CustomResource, Duration, Lazy, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct, IConstruct } from 'constructs';
import { TAG_ACTIVATION_HANDLER_SOURCE } from './private/tag-activation-handler';
import { acknowledgeControl, CONTROL_TOWER_REASONS, denyCreateGrantExceptForAwsServices } from '../private/control-tower';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { TAG_CHARACTERS_PATTERN, TAG_KEY_MAX_LENGTH, isUnresolved } from '../private/validate';
import { costTagKeyList } from '../tags/cost-tag-keys';
import { CostTagKeys } from '../tags/cost-tags';

/** Properties of a `CostAllocationTagActivation`. */
export interface CostAllocationTagActivationProps {
  /**
   * The cost tag key names of the teams: all three are activated.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * More tag keys to activate, e.g. the keys of the teams' `extraTags`. Duplicates are ignored.
   *
   * @default - none
   */
  readonly additionalTagKeys?: string[];

  /**
   * Whether to activate, besides each cost tag key, its IAM principal form `iamPrincipal/<key>`: the form in which
   * the tags of the IAM principal that called Bedrock (principal tags on the role or user, session tags passed at
   * AssumeRole) appear in CUR 2.0 `tags` and Cost Explorer. AWS lists principal tags among the cost allocation
   * tags to activate apart from resource tags of the same key; that the API takes them in this prefixed form is
   * UNVERIFIED: a form AWS does not know comes back in `Errors` like any key not seen yet (the deployment goes on
   * unless `failOnError`), so check the Output after the first deployment. The tags themselves are put on the
   * grantee roles by the team's grants.
   *
   * @default false (the `BedrockGovernance` facade turns it on)
   * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/iam-principal-cost-allocation.html
   */
  readonly principalTagKeys?: boolean;

  /**
   * Whether the deployment fails when AWS does not activate a key. UpdateCostAllocationTagsStatus does not fail
   * for such keys: it lists them in `Errors[]` (typically a key that no billing record has carried yet, up to
   * 24 hours after its first use). With `false`, those errors, and a failed call (e.g. access denied outside the
   * management account), are reported in the `Errors` attribute and the stack Output, and the deployment goes on.
   *
   * @default false
   */
  readonly failOnError?: boolean;
}

/**
 * Activates cost allocation tags, so that Cost Explorer, budgets and the FOCUS `Tags` column carry them.
 *
 * It calls Cost Explorer's `UpdateCostAllocationTagsStatus` in us-east-1 through one custom resource per chunk of at
 * most 20 keys (the API's limit per call), at most 50 keys in all. Keys AWS could not activate are returned per
 * chunk as the `Errors` attribute (a JSON list of `{TagKey, Code, Message}`, `[]` when all were activated) and as a
 * stack Output. Activation is not retroactive and takes up to 24 hours; it likely needs the management (payer)
 * account (UNVERIFIED). Removing the construct does not deactivate the keys.
 *
 * @see https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_UpdateCostAllocationTagsStatus.html
 */
export class CostAllocationTagActivation extends Construct {
  /** The most keys one activation handles. */
  public static readonly MAX_TAG_KEYS = 50;
  /** The prefix of IAM principal (and session) tags among cost allocation tags. */
  public static readonly PRINCIPAL_TAG_PREFIX = 'iamPrincipal/';
  /** The most keys one API call (and so one custom resource) takes. */
  public static readonly TAG_KEYS_PER_CALL = 20;

  private readonly keys: string[] = [];
  private readonly chunkResources: CustomResource[] = [];
  private readonly chunkKeys: string[][] = [];
  private readonly failOnError: boolean;

  constructor(scope: Construct, id: string, props: CostAllocationTagActivationProps = {}) {
    super(scope, id);
    this.failOnError = props.failOnError ?? false;
    const costKeys = costTagKeyList(props.costTagKeys);
    const principalKeys = (props.principalTagKeys ?? false) ? costKeys.map((key) => `${CostAllocationTagActivation.PRINCIPAL_TAG_PREFIX}${key}`) : [];
    this.addTagKeys([...costKeys, ...principalKeys, ...(props.additionalTagKeys ?? [])]);
  }

  /** The keys to activate, in the order they were added. */
  public get tagKeys(): string[] {
    return [...this.keys];
  }

  /** The custom resources, one per chunk of at most 20 keys. */
  public get chunks(): CustomResource[] {
    return [...this.chunkResources];
  }

  /**
   * Per chunk, the keys AWS did not activate, as a JSON list of `{TagKey, Code, Message}` (`[]` when all were
   * activated).
   */
  public get activationErrors(): string[] {
    return this.chunkResources.map((chunk) => chunk.getAttString('Errors'));
  }

  /** Per chunk, the comma-separated keys AWS did not activate (`none` when all were activated). */
  public get failedTagKeys(): string[] {
    return this.chunkResources.map((chunk) => chunk.getAttString('FailedTagKeys'));
  }

  /**
   * Activate more keys (e.g. a team's extra tag keys). Keys already added are ignored.
   *
   * @throws if the keys would pass 50 in all, or a key is not a valid tag key
   */
  public addTagKeys(tagKeys: string[]): void {
    const fresh: string[] = [];
    for (const key of tagKeys) {
      if (!this.keys.includes(key) && !fresh.includes(key)) {
        fresh.push(key);
      }
    }
    fresh.forEach((key, index) => validateCostTagKey(this, `tagKeys[${this.keys.length + index}]`, key));
    const total = this.keys.length + fresh.length;
    if (total > CostAllocationTagActivation.MAX_TAG_KEYS) {
      throw new GovernanceValidationError(this,
        `invalid tagKeys: ${total} cost allocation tag keys would be activated, more than the limit of ${CostAllocationTagActivation.MAX_TAG_KEYS} (calls of at most ${CostAllocationTagActivation.TAG_KEYS_PER_CALL} keys each). Activate the others with a second CostAllocationTagActivation`);
    }
    for (const key of fresh) {
      this.keys.push(key);
      const last = this.chunkKeys[this.chunkKeys.length - 1];
      if (last && last.length < CostAllocationTagActivation.TAG_KEYS_PER_CALL) {
        last.push(key);
      } else {
        this.addChunk([key]);
      }
    }
  }

  private addChunk(keys: string[]): void {
    const index = this.chunkKeys.length;
    this.chunkKeys.push(keys);
    const provider = TagActivationProvider.of(this);
    const chunk = new CustomResource(this, `Chunk${index}`, {
      serviceToken: provider.function.functionArn,
      resourceType: 'Custom::CostAllocationTagActivation',
      serviceTimeout: Duration.minutes(5),
      properties: {
        TagKeys: Lazy.uncachedList({ produce: () => [...keys] }),
        FailOnError: this.failOnError,
      },
    });
    this.chunkResources.push(chunk);
    new CfnOutput(this, `Chunk${index}Errors`, {
      description: `Cost allocation tag keys that AWS did not activate in chunk ${index} of ${this.node.path}: a JSON list of {TagKey, Code, Message}, [] when all were activated`,
      value: chunk.getAttString('Errors'),
    });
  }
}

/** The stack's single Lambda function that activates tags, with its own role and log group. */
class TagActivationProvider extends Construct {
  /** The provider of the stack of `scope`, created on first use. */
  public static of(scope: IConstruct): TagActivationProvider {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(TagActivationProvider.ID);
    return existing ? existing as TagActivationProvider : new TagActivationProvider(stack, TagActivationProvider.ID);
  }

  private static readonly ID = 'BedrockGovernanceCostAllocationTagActivator';

  public readonly function: lambda.Function;

  private constructor(scope: Construct, id: string) {
    super(scope, id);
    // Control Tower CT.CLOUDWATCH.PR.3: the function's log group is encrypted with a key of its own.
    const stack = Stack.of(this);
    const logKey = new kms.Key(this, 'LogKey', {
      description: 'Encrypts the log group of the cost allocation tag activator (cdk-bedrock-governance)',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN, // as the log group: its events stay readable
    });
    denyCreateGrantExceptForAwsServices(logKey);
    logKey.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsOfThisAccountAndRegion',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
        },
      },
    }));
    const logGroup = new logs.LogGroup(this, 'LogGroup', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Activates cost allocation tags (cdk-bedrock-governance)',
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['ce:UpdateCostAllocationTagsStatus'],
      resources: ['*'],
    }));
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ce:UpdateCostAllocationTagsStatus supports no resource-level permissions (Service Authorization Reference), so its statement must use Resource "*"; it is the only action on "*".',
    });
    this.function = new lambda.Function(this, 'Function', {
      description: 'Activates cost allocation tags through Cost Explorer in us-east-1 (cdk-bedrock-governance)',
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline(TAG_ACTIVATION_HANDLER_SOURCE),
      timeout: Duration.minutes(1),
      role,
      logGroup,
    });
    acknowledgeControl(this.function, 'lambda_inside_vpc_check', CONTROL_TOWER_REASONS.lambdaOutsideVpc);
  }
}

function validateCostTagKey(scope: IConstruct, prop: string, key: string): void {
  if (isUnresolved(key)) {
    return;
  }
  if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH) {
    throw invalidProp(scope, prop, key, `tag keys must be 1-${TAG_KEY_MAX_LENGTH} characters long (got ${key.length})`, 'Use a shorter, non-empty key');
  }
  if (!TAG_CHARACTERS_PATTERN.test(key)) {
    throw invalidProp(scope, prop, key, 'tag keys may contain only letters, digits, spaces and _ . : / = + - @', 'Remove the other characters');
  }
}
