import { Annotations, Aspects, CfnResource, IAspect, Lazy, Stack, Tags, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as organizations from 'aws-cdk-lib/aws-organizations';
import { Construct, IConstruct } from 'constructs';
import { TOGGLE_DEFAULTS, optedIn } from './private/bedrock-action-table';
import { DEFAULT_DEPLOYER_PRINCIPAL_ARNS, GuardForm, MANAGED_POLICY_MAX_CHARACTERS, estimatedPolicyLength, formerStatements, guardStatements } from './private/guard-statements';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { measureExtraStatements } from '../private/placement-measure';
import { CostTagKeys } from '../tags/cost-tags';
import { BATCH_INFERENCE_TAG_KEY, GOVERNANCE_POLICY_PATH } from '../tags/governance-tags';

/** Properties of a `DirectInvocationGuard`. */
export interface DirectInvocationGuardProps {
  /**
   * The cost allocation tag key names: a profile counts only when it carries the team key, a new profile
   * must carry all three, and no guarded principal may add or remove them. The facade passes its own.
   *
   * @default - `team`, `cost-center`, `environment`
   */
  readonly costTagKeys?: CostTagKeys;

  /**
   * ABAC: deny invoking an application inference profile whose team tag differs from the caller's
   * principal tag of the same key (`aws:PrincipalTag/<team key>`), deny it to callers without that tag,
   * and deny creating a profile for another team. The facade tags every grantee role and user with its
   * team's cost tags; sessions carry them from the role, or as session tags from your identity provider.
   *
   * @default false
   */
  readonly requireTeamMatch?: boolean;

  /**
   * Principals that may create, retag and delete profiles and set principal tags although the guard applies
   * to them, as `aws:PrincipalArn` patterns. This matters for the service control policy form, which also
   * applies to the role CloudFormation deploys with; the policy and boundary forms are simply never
   * attached to the deployer.
   *
   * @default ['arn:*:iam::*:role/cdk-*-cfn-exec-role-*'] - the CloudFormation execution roles of the CDK bootstrap
   */
  readonly deployerPrincipalArns?: string[];

  /**
   * In the policy and boundary forms, deny detaching, deleting or versioning the library's policies (path
   * `/bedrock-governance/`) and deleting or replacing a permissions boundary. A principal with IAM admin
   * rights can still create a new unguarded principal: give such principals the SCP form.
   *
   * @default true
   */
  readonly protectGuard?: boolean;

  /**
   * Allow direct use of system-defined cross-Region and global inference profiles (`us.…`, `global.…`).
   * Such calls carry no team tags, so by default they are denied like direct model calls.
   *
   * @default false
   */
  readonly allowSystemInferenceProfiles?: boolean;

  /**
   * Deny the whole `bedrock-mantle` namespace (OpenAI- and Anthropic-compatible endpoints), whose calls
   * are not captured by model invocation logging and do not go through application inference profiles,
   * and invoking Bedrock `project` resources.
   *
   * @default true
   */
  readonly denyMantle?: boolean;

  /**
   * Deny creating batch inference jobs (`bedrock:CreateModelInvocationJob`), except for principals tagged
   * `bedrock-governance:batch-inference` = `true` (`exemptFromBatchDeny()` and the library's batch grants
   * tag them; guarded principals cannot set that tag).
   *
   * @default true
   */
  readonly denyBatchInference?: boolean;

  /**
   * Deny buying or changing provisioned throughput (`bedrock:Create/UpdateProvisionedModelThroughput`),
   * which bills hourly whether used or not.
   *
   * @default true
   */
  readonly denyProvisionedThroughputCreation?: boolean;

  /**
   * Deny globally routed requests (`aws:RequestedRegion` = `unspecified`), e.g. for data-residency rules.
   *
   * @default false
   */
  readonly denyGlobalRouting?: boolean;

  /**
   * Allow invoking imported models (`imported-model/*`).
   *
   * @default false
   */
  readonly allowImportedModelInvocation?: boolean;

  /**
   * Allow invoking custom model deployments (`custom-model-deployment/*`).
   *
   * @default false
   */
  readonly allowCustomModelDeploymentInvocation?: boolean;

  /**
   * Allow invoking Bedrock Marketplace model endpoints (`marketplace/model-endpoint/*`).
   *
   * @default false
   */
  readonly allowMarketplaceEndpointInvocation?: boolean;

  /**
   * Allow invoking existing provisioned models (`provisioned-model/*`).
   *
   * @default false
   */
  readonly allowProvisionedModelInvocation?: boolean;

  /**
   * Allow prompt routers: invoking `prompt-router/*` and `default-prompt-router/*`, and creating routers.
   *
   * @default false
   */
  readonly allowPromptRouters?: boolean;

  /**
   * Allow fine-tuning and distillation jobs (`bedrock:CreateModelCustomizationJob`).
   *
   * @default false
   */
  readonly allowModelCustomizationJobs?: boolean;

  /**
   * Allow model import jobs and custom models from imported weights (`CreateModelImportJob`, `CreateCustomModel`).
   *
   * @default false
   */
  readonly allowModelImportJobs?: boolean;

  /**
   * Allow model copy jobs (`bedrock:CreateModelCopyJob`).
   *
   * @default false
   */
  readonly allowModelCopyJobs?: boolean;

  /**
   * Allow evaluation jobs (`CreateEvaluationJob`, `CreateModelEvaluationJob`).
   *
   * @default false
   */
  readonly allowEvaluationJobs?: boolean;

  /**
   * Allow prompt optimization (`CreateAdvancedPromptOptimizationJob`, `OptimizePrompt`).
   *
   * @default false
   */
  readonly allowPromptOptimization?: boolean;

  /**
   * Allow creating, registering and changing Bedrock Marketplace model endpoints.
   *
   * @default false
   */
  readonly allowMarketplaceEndpointCreation?: boolean;

  /**
   * Allow creating and changing custom model deployments.
   *
   * @default false
   */
  readonly allowCustomModelDeploymentCreation?: boolean;

  /**
   * Allow the agentic services, which run models under their own identity rather than through a team
   * profile: Bedrock agents, flows, knowledge-base retrieval and ingestion, reranking, data automation,
   * built-in tools, the whole `bedrock-agentcore` and `bedrock-websearch` namespaces.
   *
   * @default false
   */
  readonly allowAgenticServices?: boolean;

  /**
   * Roles that keep direct access, e.g. a break-glass role or a model-evaluation role. They are never
   * given the guard's policy or boundary, `attachTo()` refuses them, and the guard's Service Control
   * Policy excludes them by `aws:PrincipalArn`. Give imported roles with their full ARN (including any path).
   *
   * @default - no role is exempt
   */
  readonly exemptRoles?: iam.IRole[];

  /**
   * Name of the managed policy.
   *
   * @default - generated by CloudFormation
   */
  readonly managedPolicyName?: string;
}

/** Options of `DirectInvocationGuard.toServiceControlPolicy()`. */
export interface ServiceControlPolicyOptions {
  /**
   * The roots (`r-…`), organizational units (`ou-…-…`) and accounts (12 digits) to attach the SCP to.
   */
  readonly targetIds: string[];

  /**
   * Name of the policy.
   *
   * @default 'bedrock-direct-invocation-guard'
   */
  readonly policyName?: string;

  /**
   * Description of the policy.
   *
   * @default - a description of what the guard denies
   */
  readonly description?: string;
}

/** The most characters an AWS Organizations service control policy may have. */
const SCP_MAX_CHARACTERS = 5120;

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
const ROOT_ID = /^r-[0-9a-z]{4,32}$/;

/** Characters a deployed role ARN is assumed to take when the ARN is only known at deploy time. */
const DEPLOY_TIME_ROLE_ARN_LENGTH = 96;

/** The toggles whose opt-in shortens the SCP, in the order a message names them. */
const SHORTENING_TOGGLES = Object.keys(TOGGLE_DEFAULTS);

/**
 * The length of an SCP as AWS counts it (minified JSON). Role ARNs that are deploy-time references are
 * counted as 96 characters (an estimate: the real ARN is known only at deploy time).
 */
function scpLength(resolved: unknown): number {
  const json = JSON.stringify(resolved);
  return json.replace(/\{"Fn::GetAtt":\["[^"]+","Arn"\]\}/g, `"${'x'.repeat(DEPLOY_TIME_ROLE_ARN_LENGTH)}"`).length;
}

/** Which guard (by path) each principal was attached to, across the whole app. */
const ATTACHED = new WeakMap<IConstruct, string>();

/**
 * Keeps the Bedrock spend of the principals it guards on a team's line: denies them the paths to Bedrock
 * models that skip a tagged application inference profile (for every action of the `bedrock*` IAM services,
 * as classified in docs/ACCESS-MATRIX.md), and the ways to move a profile's spend to another team or to none.
 *
 * The deny statements (one source, three delivery forms: a managed policy, a permissions boundary and an
 * AWS Organizations service control policy), for every guarded principal:
 * - invoke actions on foundation models (and, unless allowed, system inference profiles) when
 *   `bedrock:InferenceProfileArn` is absent, i.e. direct calls, or is a system-defined profile;
 * - invoke actions on application inference profiles without the team tag (with `requireTeamMatch`, also
 *   on another team's profile), and on every other model resource (imported, custom-deployment,
 *   marketplace, provisioned, prompt routers, projects, system tools) unless its toggle allows it;
 * - creating a profile without every cost tag, adding or removing a cost tag on any Bedrock resource,
 *   deleting a profile, and changing a principal's cost tags (the deployer is exempt);
 * - the model-running jobs and services of the action table (batch, customization, import, copy,
 *   evaluation, prompt optimization, marketplace and custom deployments, agentic services,
 *   `bedrock-mantle`), each a toggle;
 * - in the policy and boundary forms, detaching or changing the guard itself.
 *
 * A call through a team's application inference profile carries that profile's ARN in
 * `bedrock:InferenceProfileArn`, which matches none of the statements. There is never an unconditional
 * deny on foundation models: that would break calls through profiles too. docs/ACCESS-MATRIX.md lists
 * what the guard does not cover (the management account and service-linked roles under the SCP form,
 * principals with IAM admin rights under the policy and boundary forms, and more).
 */
export class DirectInvocationGuard extends Construct {
  /**
   * Attach the guard to every `iam.Role` (L2) in the scope, at synthesis, except exempt roles, roles the
   * guard is already attached to, and roles of CDK's own custom-resource providers whose policies name no
   * Bedrock action. Roles written as L1 `CfnRole` are not visited.
   */
  public static applyToRoles(scope: IConstruct, guard: DirectInvocationGuard): void {
    Aspects.of(scope).add(new AttachGuardAspect(guard));
  }

  /** The managed policy with the deny statements. */
  public readonly policy: iam.ManagedPolicy;

  /** The cost tag key names the guard protects. */
  public readonly costTagKeys: CostTagKeys;

  /** Whether the guard requires the profile's team tag to match the caller's principal tag. */
  public readonly requireTeamMatch: boolean;

  private readonly props: DirectInvocationGuardProps;
  private embedded?: { statements: iam.PolicyStatement[]; length: number; formerCount: number; formerLength: number };
  private readonly exempt: iam.IRole[];
  private boundary?: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: DirectInvocationGuardProps = {}) {
    super(scope, id);
    this.props = props;
    this.exempt = [...(props.exemptRoles ?? [])];
    this.costTagKeys = props.costTagKeys ?? {};
    this.requireTeamMatch = props.requireTeamMatch ?? false;
    for (const [i, arn] of (props.deployerPrincipalArns ?? []).entries()) {
      if (!Token.isUnresolved(arn) && !/^arn:[^:]*:(iam|sts)::[^:]*:/.test(arn)) {
        throw invalidProp(this, `deployerPrincipalArns[${i}]`, arn, 'an aws:PrincipalArn pattern is an IAM role or user ARN, wildcards allowed',
          'Pass e.g. \'arn:aws:iam::111122223333:role/cdk-*-cfn-exec-role-*\'');
      }
    }
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: props.managedPolicyName,
      path: GOVERNANCE_POLICY_PATH,
      description: 'Deny Bedrock model calls that do not go through a tagged application inference profile, and changes to cost attribution',
      document: new iam.PolicyDocument({ statements: this.statements(GuardForm.POLICY) }),
    });
  }

  /** The roles exempt from the guard. */
  public get exemptRoles(): iam.IRole[] {
    return [...this.exempt];
  }

  /** Whether a role is exempt from the guard. */
  public isExempt(role: iam.IRole): boolean {
    return this.exempt.includes(role);
  }

  /**
   * Exempt a role from the batch-inference deny only (it stays guarded otherwise), by tagging it
   * `bedrock-governance:batch-inference` = `true`. The library's batch grants call this. A role not created
   * in this app cannot be tagged from here: tag it yourself (a warning says so).
   */
  public exemptFromBatchDeny(role: iam.IRole): void {
    if (role instanceof iam.Role) {
      Tags.of(role).add(BATCH_INFERENCE_TAG_KEY, 'true');
    } else {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:batchExemptionNotTagged',
        `The role ${role.node.path} was not created in this app, so it cannot be tagged ${BATCH_INFERENCE_TAG_KEY}=true here; tag it yourself, or the guard keeps denying it batch jobs`);
    }
  }

  /**
   * Attach the guard's managed policy to a role.
   *
   * @throws if the role is exempt or already has a guard
   */
  public attachTo(role: iam.IRole): void {
    if (this.isExempt(role)) {
      throw new GovernanceValidationError(this,
        `cannot attach the guard to role ${role.node.path}: it is one of exemptRoles. Remove it from exemptRoles, or do not attach the guard to it`);
    }
    this.markAttached(role, 'role');
    if (role instanceof iam.Role && Stack.of(role) !== Stack.of(this)) {
      // A role in another stack usually refers to this stack already (team profile ARNs): attach from
      // the role's side, so this stack does not refer back to it (a dependency cycle).
      role.addManagedPolicy(this.policy);
    } else {
      this.policy.attachToRole(role);
    }
  }

  /**
   * Attach the guard's managed policy to an IAM user.
   *
   * @throws if the user already has a guard
   */
  public attachToUser(user: iam.IUser): void {
    this.markAttached(user, 'user');
    if (user instanceof iam.User && Stack.of(user) !== Stack.of(this)) {
      user.addManagedPolicy(this.policy);
    } else {
      this.policy.attachToUser(user);
    }
  }

  /**
   * Attach the guard's managed policy to an IAM group (so to each of its users).
   *
   * @throws if the group already has a guard
   */
  public attachToGroup(group: iam.IGroup): void {
    this.markAttached(group, 'group');
    if (group instanceof iam.Group && Stack.of(group) !== Stack.of(this)) {
      group.addManagedPolicy(this.policy);
    } else {
      this.policy.attachToGroup(group);
    }
  }

  /** Whether this guard has been attached to the role, user or group (by `attachTo…()`, the aspect or the facade). */
  public isAttachedTo(principal: IConstruct): boolean {
    return ATTACHED.get(principal) === this.node.path;
  }

  /**
   * Add the guard's deny statements (without Sids, exempt roles or deployer: neither should hold that
   * policy) to another managed policy, so that whatever holds that policy is guarded too, if they fit: IAM managed policies hold at most 6,144 characters (estimated
   * here without resolving anything, deploy-time ARNs counted as 96 characters). The facade does this
   * for every team's `invokePolicy`.
   *
   * @returns whether the statements were added
   */
  public addDenyStatementsTo(policy: iam.ManagedPolicy): boolean {
    // The embedded form depends only on the guard's props and cost tag keys (no exempt role, no deployer), which
    // do not change after construction: built and measured once, then added to every team's invokePolicy.
    if (!this.embedded) {
      const statements = this.statements(GuardForm.EMBEDDED);
      const former = formerStatements(statements);
      this.embedded = {
        statements, length: estimatedPolicyLength(statements), formerCount: former.length, formerLength: estimatedPolicyLength(former),
      };
    }
    const existing = (policy.document.toJSON()?.Statement ?? []) as any[];
    const current = existing.map((json) => iam.PolicyStatement.fromJson(json));
    // the combined document's length: both statement lists, less one envelope and plus the comma between them
    const combined = current.length === 0 ? this.embedded.length
      : estimatedPolicyLength(current) + this.embedded.length - EMPTY_POLICY_LENGTH + 1;
    // Team placement estimates the policy from its statement count: it counts what versions before the guard's
    // statements were joined wrote (their copy, if it fitted), so that the shorter copy moves no team of a
    // deployed sharded app into another nested stack (docs/SCALE.md).
    const formerCombined = current.length === 0 ? this.embedded.formerLength
      : estimatedPolicyLength(current) + this.embedded.formerLength - EMPTY_POLICY_LENGTH + 1;
    const formerCount = formerCombined > MANAGED_POLICY_MAX_CHARACTERS ? 0 : this.embedded.formerCount;
    if (combined > MANAGED_POLICY_MAX_CHARACTERS) {
      measureExtraStatements(policy.node.defaultChild as CfnResource, formerCount);
      return false;
    }
    // the same statement objects in every team's policy: nothing changes them once added
    policy.addStatements(...this.embedded.statements);
    measureExtraStatements(policy.node.defaultChild as CfnResource, formerCount - this.embedded.statements.length);
    return true;
  }

  /**
   * A managed policy that allows everything except what the guard denies, for use as a permissions
   * boundary (`iam.PermissionsBoundary.of(role).apply(guard.permissionsBoundaryPolicy)`). A boundary caps
   * what a role's own policies can grant, so a role created by a team cannot remove the guard.
   * Created on first access.
   */
  public get permissionsBoundaryPolicy(): iam.ManagedPolicy {
    if (!this.boundary) {
      this.boundary = new iam.ManagedPolicy(this, 'Boundary', {
        path: GOVERNANCE_POLICY_PATH,
        description: 'Permissions boundary: everything except Bedrock model calls that skip a tagged application inference profile, and changes to cost attribution',
        document: new iam.PolicyDocument({
          statements: [
            new iam.PolicyStatement({ sid: 'AllowWithinBoundary', actions: ['*'], resources: ['*'] }),
            ...this.statements(GuardForm.BOUNDARY),
          ],
        }),
      });
      Validations.of(this.boundary).acknowledge({
        id: 'AwsSolutions-IAM5[Action::*]',
        reason: 'A permissions boundary is a ceiling, not a grant: Allow * leaves the role\'s own policies in charge, and the boundary\'s deny statements remove the Bedrock paths that skip application inference profiles',
      });
      Validations.of(this.boundary).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: 'A permissions boundary is a ceiling, not a grant: Allow * on * leaves the role\'s own policies in charge',
      });
    }
    return this.boundary;
  }

  /**
   * The guard as an AWS Organizations service control policy, for a stack deployed in the organization's
   * management account (or a delegated administrator). Exempt roles are excluded with a condition on
   * `aws:PrincipalArn`, the deployer from the statements about tags, creation and deletion. The policy must
   * fit AWS's limit of 5,120 characters. SCPs do not apply to the management account itself nor to
   * service-linked roles.
   */
  public toServiceControlPolicy(scope: Construct, id: string, options: ServiceControlPolicyOptions): organizations.CfnPolicy {
    const policyScope = new Construct(scope, id);
    if (options.targetIds.length === 0) {
      throw invalidProp(policyScope, 'targetIds', [], 'a service control policy needs at least one target', 'Pass the root, OU or account ids to attach it to');
    }
    for (const target of options.targetIds) {
      if (Token.isUnresolved(target)) {
        continue;
      }
      if (!ACCOUNT_ID.test(target) && !OU_ID.test(target) && !ROOT_ID.test(target)) {
        throw invalidProp(policyScope, 'targetIds', target,
          'targets must be an account id (12 digits), an organizational unit id (ou-xxxx-xxxxxxxx) or a root id (r-xxxx)',
          'Pass the id shown by `aws organizations list-roots` / `list-organizational-units-for-parent` / `list-accounts`');
      }
    }
    const document = new iam.PolicyDocument({ statements: this.statements(GuardForm.SCP) });
    // Checked at synthesis, when every exempt role is known; nothing is resolved before then.
    policyScope.node.addValidation({ validate: () => this.validateScpLength(policyScope, document) });
    return new organizations.CfnPolicy(policyScope, 'Resource', {
      name: options.policyName ?? 'bedrock-direct-invocation-guard',
      description: options.description ?? 'Deny Bedrock model calls that do not go through a tagged application inference profile, and changes to cost attribution',
      type: 'SERVICE_CONTROL_POLICY',
      content: Lazy.uncachedAny({ produce: () => document.toJSON() }),
      targetIds: options.targetIds,
    });
  }

  private validateScpLength(policyScope: IConstruct, document: iam.PolicyDocument): string[] {
    const stack = Stack.of(policyScope);
    const lengthOf = (doc: iam.PolicyDocument) => scpLength(stack.resolve(doc.toJSON()));
    const length = lengthOf(document);
    if (length <= SCP_MAX_CHARACTERS) {
      return [];
    }
    const fitting = SHORTENING_TOGGLES.filter((toggle) => {
      if (optedIn(toggle, this.props as Record<string, unknown>)) {
        return false;
      }
      const flipped = { ...this.props, [toggle]: !TOGGLE_DEFAULTS[toggle] };
      return lengthOf(new iam.PolicyDocument({ statements: this.statements(GuardForm.SCP, flipped) })) <= SCP_MAX_CHARACTERS;
    });
    const fix = fitting.length > 0
      ? `Each of these settings alone would make it fit: ${fitting.map((t) => `${t}: ${!TOGGLE_DEFAULTS[t]}`).join(', ')}. Or exempt fewer roles, or deliver the guard as a managed policy or permissions boundary`
      : 'Exempt fewer roles (use a role path pattern with a single role), or deliver the guard as a managed policy or permissions boundary';
    return [new GovernanceValidationError(policyScope,
      `the guard's service control policy would be ${length} characters, over the AWS limit of ${SCP_MAX_CHARACTERS}. ${fix}`).message];
  }

  private markAttached(principal: IConstruct, kind: string): void {
    const previous = ATTACHED.get(principal);
    if (previous !== undefined) {
      throw new GovernanceValidationError(this,
        `the ${kind} ${principal.node.path} already has a direct-invocation guard (${previous}). Attach one guard once per ${kind}`);
    }
    ATTACHED.set(principal, this.node.path);
  }

  /** A fresh set of the deny statements for a delivery form. */
  private statements(form: GuardForm, props: DirectInvocationGuardProps = this.props): iam.PolicyStatement[] {
    return guardStatements({
      props: props as Record<string, unknown>,
      costTagKeys: this.costTagKeys,
      exemptArns: this.exempt.map((r) => r.roleArn),
      deployerArns: props.deployerPrincipalArns ?? DEFAULT_DEPLOYER_PRINCIPAL_ARNS,
      form,
    });
  }
}

/** The length of a policy document without statements, as `estimatedPolicyLength` counts it. */
const EMPTY_POLICY_LENGTH = estimatedPolicyLength([]);

/** Attaches a guard to every L2 role in a scope. */
class AttachGuardAspect implements IAspect {
  constructor(private readonly guard: DirectInvocationGuard) {}

  public visit(node: IConstruct): void {
    if (!(node instanceof iam.Role)) {
      return;
    }
    if (this.guard.isExempt(node) || this.guard.isAttachedTo(node) || ATTACHED.has(node)) {
      return;
    }
    if (isFrameworkRoleWithoutBedrock(node)) {
      return;
    }
    this.guard.attachTo(node);
  }
}

/**
 * A role of one of CDK's own custom-resource providers (singleton functions with ids like
 * `AWS679f53fac002430cb0da5b7982bd2287`, provider frameworks, log retention) whose policies name no
 * Bedrock action: the guard would change nothing for it.
 */
function isFrameworkRoleWithoutBedrock(role: iam.Role): boolean {
  const framework = role.node.scopes.some((s) => /^(AWS[0-9a-fA-F]{32}|LogRetention[0-9a-fA-F]{32}|Custom::.+|.*Provider[0-9a-fA-F]{32})$/.test(s.node.id)
    || s.node.id === 'framework-onEvent' || s.node.id === 'framework-onTimeout' || s.node.id === 'framework-isComplete');
  if (!framework) {
    return false;
  }
  const stack = Stack.of(role);
  const cfnRole = role.node.defaultChild as iam.CfnRole;
  const roleRef = JSON.stringify(stack.resolve(role.roleName));
  const documents: any[] = (stack.resolve(cfnRole.policies) ?? []).map((p: any) => p.policyDocument);
  for (const c of stack.node.findAll()) {
    if (c instanceof iam.CfnPolicy && (JSON.stringify(stack.resolve(c.roles)) ?? '').includes(roleRef)) {
      documents.push(stack.resolve(c.policyDocument));
    }
  }
  const actions = documents.flatMap((d) => d?.Statement ?? [])
    .filter((st: any) => st.Effect === 'Allow')
    .flatMap((st: any) => (st.NotAction !== undefined ? ['*'] : [st.Action].flat()));
  return !actions.some((a: unknown) => typeof a !== 'string' || a === '*' || /^bedrock(-mantle)?:/i.test(a));
}
