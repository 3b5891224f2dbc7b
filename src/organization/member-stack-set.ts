import { Lazy, Stack, Stage, Token } from 'aws-cdk-lib';
import * as cloudformation from 'aws-cdk-lib/aws-cloudformation';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import { Construct } from 'constructs';
import { registerStackSet } from './private/app-checks';
import { StackSetStackSynthesizer } from './stack-set-synthesizer';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { DEFAULT_PROFILE_QUOTA } from '../scale/profile-quota';

/** The most bytes CloudFormation takes in `TemplateBody`. */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
/** The most bytes CloudFormation takes in a template read from S3 (`TemplateURL`): 1 MB. */
export const TEMPLATE_URL_MAX_BYTES = 1_000_000;

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const STACK_SET_NAME = /^[a-zA-Z][-a-zA-Z0-9]{0,127}$/;

/** Where a `MemberStackSet` deploys the member template. */
export interface MemberDeployment {
  /**
   * The organizational units (`ou-…`) or the root (`r-…`) whose accounts get the member stack. With automatic
   * deployment on, accounts that join one of them later get it too.
   */
  readonly organizationalUnitIds: string[];

  /** The Regions to deploy to, in every target account. */
  readonly regions: string[];

  /**
   * Deploy only to these accounts of the organizational units (CloudFormation's `INTERSECTION` account filter).
   * Use it to place a group of teams in named accounts.
   *
   * @default - every account of the organizational units
   */
  readonly accounts?: string[];

  /**
   * Values of the member template's parameters for these accounts and Regions, overriding `parameters`.
   *
   * @default - the StackSet's values
   */
  readonly parameterOverrides?: Record<string, string>;
}

/** Properties of a `MemberStackSet`. */
export interface MemberStackSetProps {
  /**
   * The member stack: the `stack` of a `MemberAccountStage`, or any environment-agnostic stack of its own stage
   * that uses a `StackSetStackSynthesizer`.
   */
  readonly memberStack: Stack;

  /** The organizational units, accounts and Regions to deploy to. */
  readonly deployments: MemberDeployment[];

  /**
   * Name of the StackSet (1-128 characters, a letter first, then letters, digits and hyphens).
   *
   * @default 'bedrock-governance-members'
   */
  readonly stackSetName?: string;

  /**
   * Values of the member template's parameters, for every account.
   *
   * @default - none: each parameter takes its default (a parameter without one must be given here or in every
   * deployment's `parameterOverrides`)
   */
  readonly parameters?: Record<string, string>;

  /**
   * The S3 URL of the member template, for a template over the 51,200 bytes CloudFormation takes inline. Upload
   * the synthesized member template (`<outdir>/assembly-<stage>/<stack>.template.json`) there before deploying
   * the management stack; the StackSet then reads it from S3 (1 MB at most). This library does not upload it:
   * a CDK asset would only exist in the management account's bootstrap bucket.
   *
   * @default - the template is inlined as `TemplateBody`, which must then fit in 51,200 bytes
   */
  readonly templateUrl?: string;

  /**
   * Deploy to accounts that join a target organizational unit later.
   *
   * @default true
   */
  readonly autoDeployment?: boolean;

  /**
   * Keep an account's member stack (and its resources) when the account leaves the organizational unit. With
   * `false`, CloudFormation deletes the stack; the invocation log bucket and other retained resources stay.
   *
   * @default true
   */
  readonly retainStacksOnAccountRemoval?: boolean;

  /**
   * Create the StackSet as a delegated administrator of the organization (`CallAs: DELEGATED_ADMIN`) rather
   * than from the management account.
   *
   * @default false
   */
  readonly delegatedAdministrator?: boolean;

  /**
   * The application inference profile quota per account and Region, against which the profiles of every stack
   * of the app and every StackSet instance are counted at synth.
   *
   * @default 1000
   */
  readonly profileQuota?: number;
}

/**
 * Deploys a member stack to the accounts of organizational units, in several Regions, as a service-managed
 * CloudFormation StackSet (`AWS::CloudFormation::StackSet`, permission model `SERVICE_MANAGED`), with automatic
 * deployment to accounts that join later.
 *
 * The member template is read at synthesis from the member stage's cloud assembly, so teams added to the member
 * stack after this construct are in it. Every instance gets the same template: differences between accounts come
 * from the template's parameters (`parameters`, `parameterOverrides`) or from a second StackSet. The synthesis
 * fails when the member stack needs a CDK file or image asset, or when the template is over the size limit.
 */
export class MemberStackSet extends Construct {
  /** The StackSet. */
  public readonly stackSet: cloudformation.CfnStackSet;

  /** The member stack. */
  public readonly memberStack: Stack;

  /** The deployments. */
  public readonly deployments: MemberDeployment[];

  /** The application inference profile quota per account and Region. */
  public readonly profileQuota: number;

  private readonly props: MemberStackSetProps;

  constructor(scope: Construct, id: string, props: MemberStackSetProps) {
    super(scope, id);
    this.props = props;
    this.memberStack = props.memberStack;
    this.deployments = props.deployments;
    this.profileQuota = props.profileQuota ?? DEFAULT_PROFILE_QUOTA;
    this.validateMember();
    this.validateDeployments();
    const stackSetName = props.stackSetName ?? 'bedrock-governance-members';
    if (!Token.isUnresolved(stackSetName) && !STACK_SET_NAME.test(stackSetName)) {
      throw invalidProp(this, 'stackSetName', stackSetName, 'a StackSet name is 1-128 characters: a letter, then letters, digits and hyphens', 'Pick a name such as \'bedrock-governance-members\'');
    }
    if (!Token.isUnresolved(this.profileQuota) && (!Number.isInteger(this.profileQuota) || this.profileQuota < 1)) {
      throw invalidProp(this, 'profileQuota', this.profileQuota, 'the quota is a positive whole number', 'Pass the quota shown in Service Quotas (default 1000)');
    }

    const parameters = Object.entries(props.parameters ?? {}).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue }));
    this.stackSet = new cloudformation.CfnStackSet(this, 'Resource', {
      stackSetName,
      description: 'cdk-bedrock-governance: the member-account part (team profiles, grants, alarms, dashboard)',
      permissionModel: 'SERVICE_MANAGED',
      callAs: props.delegatedAdministrator ? 'DELEGATED_ADMIN' : 'SELF',
      autoDeployment: {
        enabled: props.autoDeployment ?? true,
        retainStacksOnAccountRemoval: props.retainStacksOnAccountRemoval ?? true,
      },
      capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
      managedExecution: { Active: true },
      parameters: parameters.length > 0 ? parameters : undefined,
      templateBody: props.templateUrl ? undefined : Lazy.string({ produce: () => this.templateBody() }),
      templateUrl: props.templateUrl,
      stackInstancesGroup: props.deployments.map((d) => ({
        deploymentTargets: {
          organizationalUnitIds: d.organizationalUnitIds,
          accounts: d.accounts,
          accountFilterType: d.accounts ? 'INTERSECTION' : undefined,
        },
        regions: d.regions,
        parameterOverrides: d.parameterOverrides
          ? Object.entries(d.parameterOverrides).map(([parameterKey, parameterValue]) => ({ parameterKey, parameterValue }))
          : undefined,
      })),
    });
    this.node.addValidation({ validate: () => this.validateTemplate() });
    registerStackSet(this);
  }

  /**
   * The member template as synthesized (read from the member stage's cloud assembly; call it only during or
   * after synthesis).
   */
  public memberTemplate(): any {
    const stage = Stage.of(this.memberStack)!;
    return stage.synth().getStackArtifact(this.memberStack.artifactId).template;
  }

  private templateBody(): string {
    return JSON.stringify(this.memberTemplate());
  }

  private validateMember(): void {
    const member = this.props.memberStack;
    if (!(member.synthesizer instanceof StackSetStackSynthesizer)) {
      throw invalidProp(this, 'memberStack', member.node.path,
        'a StackSet template must not depend on CDK bootstrap resources, and this stack does not use a StackSetStackSynthesizer',
        'Use the stack of a MemberAccountStage, or create the stack with `synthesizer: new StackSetStackSynthesizer()`');
    }
    if (!Token.isUnresolved(member.account) || !Token.isUnresolved(member.region)) {
      throw invalidProp(this, 'memberStack', member.node.path,
        `the stack is bound to account ${member.account}, Region ${member.region}, but a StackSet deploys the same template to many`,
        'Create the member stack without env');
    }
    const memberStage = Stage.of(member);
    if (!memberStage || memberStage === Stage.of(this) || !memberStage.parentStage) {
      throw invalidProp(this, 'memberStack', member.node.path,
        'the member stack must be in a stage of its own (nested in the app), or it would also be deployed as a stack of this app',
        'Use the stack of a MemberAccountStage');
    }
    if (member.node.root !== this.node.root) {
      throw invalidProp(this, 'memberStack', member.node.path, 'the member stack is in another app', 'Create the MemberAccountStage in this app');
    }
  }

  private validateDeployments(): void {
    const deployments = this.props.deployments;
    if (deployments.length === 0) {
      throw invalidProp(this, 'deployments', [], 'a StackSet needs at least one deployment', 'Give the organizational units and Regions to deploy to');
    }
    deployments.forEach((d, i) => {
      const prop = `deployments[${i}]`;
      if (d.organizationalUnitIds.length === 0) {
        throw invalidProp(this, `${prop}.organizationalUnitIds`, [], 'a service-managed StackSet deploys to organizational units', 'Give at least one OU id (ou-…) or the root id (r-…)');
      }
      for (const ou of d.organizationalUnitIds) {
        if (!Token.isUnresolved(ou) && !OU_ID.test(ou) && !ROOT_ID.test(ou)) {
          throw invalidProp(this, `${prop}.organizationalUnitIds`, ou, 'not an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)',
            'Pass the id shown by `aws organizations list-organizational-units-for-parent` or `list-roots`');
        }
      }
      if (d.regions.length === 0) {
        throw invalidProp(this, `${prop}.regions`, [], 'a deployment needs at least one Region', 'Give the Regions the teams use, e.g. [\'us-east-1\', \'us-west-2\']');
      }
      for (const region of d.regions) {
        if (!Token.isUnresolved(region) && !REGION.test(region)) {
          throw invalidProp(this, `${prop}.regions`, region, 'not a Region name', 'Use a name such as \'us-east-1\'');
        }
      }
      if (d.accounts !== undefined && d.accounts.length === 0) {
        throw invalidProp(this, `${prop}.accounts`, [], 'an empty account filter deploys nowhere', 'Leave accounts out to deploy to every account of the OUs, or name at least one');
      }
      for (const account of d.accounts ?? []) {
        if (!Token.isUnresolved(account) && !ACCOUNT_ID.test(account)) {
          throw invalidProp(this, `${prop}.accounts`, account, 'an account id is 12 digits', 'Pass the id shown by `aws organizations list-accounts`');
        }
      }
    });
  }

  /** At synthesis: no assets, the template fits, every parameter has a value. */
  private validateTemplate(): string[] {
    const assets = this.assetErrors();
    if (assets.length > 0) {
      return assets;
    }
    const bytes = Buffer.byteLength(this.templateBody(), 'utf8');
    if (!this.props.templateUrl && bytes > TEMPLATE_BODY_MAX_BYTES) {
      return [invalidProp(this, 'templateUrl', undefined,
        `the member template ${this.memberStack.node.path} is ${bytes} bytes, over the ${TEMPLATE_BODY_MAX_BYTES} bytes CloudFormation takes inline (TemplateBody)`,
        `Upload ${this.memberStack.templateFile} (in the member stage's assembly) to S3 and pass its URL as templateUrl (up to ${TEMPLATE_URL_MAX_BYTES} bytes), or split the teams over several member stacks and StackSets`).message];
    }
    if (bytes > TEMPLATE_URL_MAX_BYTES) {
      return [new GovernanceValidationError(this,
        `the member template ${this.memberStack.node.path} is ${bytes} bytes, over CloudFormation's limit of ${TEMPLATE_URL_MAX_BYTES} bytes for a template in S3. Split the teams over several member stacks and StackSets`).message];
    }
    return this.parameterErrors();
  }

  private assetErrors(): string[] {
    const synthesizer = this.memberStack.synthesizer as StackSetStackSynthesizer;
    const files = synthesizer.fileAssets;
    const images = synthesizer.dockerImageAssets;
    if (files.length === 0 && images.length === 0) {
      return [];
    }
    const named = new Map<string, string>();
    for (const c of this.memberStack.node.findAll()) {
      if (c instanceof s3assets.Asset) {
        named.set(c.assetHash, `${c.node.path} (asset ${c.assetHash})`);
      }
    }
    const describe = (hash: string, fileName?: string) => named.get(hash) ?? `${fileName ?? 'an image'} (hash ${hash})`;
    const list = [
      ...files.map((f) => describe(f.sourceHash, f.fileName)),
      ...images.map((i) => describe(i.sourceHash, i.directoryName)),
    ];
    return [new GovernanceValidationError(this,
      `the member stack ${this.memberStack.node.path} needs CDK assets, which a StackSet cannot deploy (they live in one account's bootstrap bucket): ${list.join('; ')}. `
      + 'Remove the constructs that need them from the member stack (e.g. turn off invocationLogging or the waste audit there), or put them in a stack deployed with cdk deploy').message];
  }

  private parameterErrors(): string[] {
    const declared: Record<string, any> = this.memberTemplate().Parameters ?? {};
    const errors: string[] = [];
    const check = (prop: string, values: Record<string, string> | undefined) => {
      for (const key of Object.keys(values ?? {})) {
        if (!(key in declared)) {
          errors.push(invalidProp(this, prop, key, `the member template has no such parameter (it has: ${Object.keys(declared).join(', ') || 'none'})`,
            'Use the logical id of a CfnParameter of the member stack').message);
        }
      }
    };
    check('parameters', this.props.parameters);
    this.props.deployments.forEach((d, i) => check(`deployments[${i}].parameterOverrides`, d.parameterOverrides));
    for (const [key, parameter] of Object.entries(declared)) {
      const everywhere = this.props.deployments.every((d) => d.parameterOverrides && key in d.parameterOverrides);
      if (parameter.Default === undefined && !(key in (this.props.parameters ?? {})) && !everywhere) {
        errors.push(invalidProp(this, 'parameters', key, 'the member template parameter has no default and no value for every deployment',
          `Give ${key} a default, a value in parameters, or a value in every deployment's parameterOverrides`).message);
      }
    }
    return errors;
  }
}
