import { CfnElement, CfnOutput, CfnParameter, CfnResource, NestedStack, Stack } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ArnPattern } from './arn';
import { OPAQUE, TOKEN } from './glob';
import { RenderedTag, asList, flattenReference, isIntrinsic, prop, renderedTags } from './values';

/** What a rule gets besides the resource: the app-wide index and the pack's settings. */
export interface NagRuleContext {
  /** Everything the rules need to know about the rest of the app. */
  readonly index: NagAppIndex;
  /** The cost allocation tag keys every application inference profile must carry. */
  readonly requiredTagKeys: string[];
  /** The key of the team tag (budgets must filter on it). */
  readonly teamTagKey: string;
  /** Construct paths or logical ids of roles the pack treats as non-interactive. */
  readonly nonInteractiveRoles: ReadonlySet<string>;
  /** Construct paths or logical ids of roles the pack treats as light-task roles. */
  readonly lightTaskRoles: ReadonlySet<string>;
}

/** An action pattern of a statement: lower-cased for matching, as written for finding ids. */
export interface ActionPattern {
  readonly pattern: string;
  readonly display: string;
}

/** One IAM policy statement, resolved and ready for the rules. */
export interface StatementView {
  /** Path of the resource the statement belongs to (for error messages). */
  readonly path: string;
  /** `Allow` or `Deny` (undefined when the statement could not be read). */
  readonly effect?: string;
  /** `Action`, or undefined when the statement uses `NotAction`. */
  readonly actions?: ActionPattern[];
  /** `NotAction`, or undefined when the statement uses `Action`. */
  readonly notActions?: ActionPattern[];
  /** `Resource`, or undefined when the statement uses `NotResource`. */
  readonly resources?: ArnPattern[];
  /** `NotResource`, or undefined when the statement uses `Resource`. */
  readonly notResources?: ArnPattern[];
  /** The resolved `Condition` block. */
  readonly condition?: Record<string, unknown>;
  /** Set when the statement (or one of its actions) is an intrinsic the rules cannot read. */
  readonly unreadable?: string;
}

/** A budget's filter on one team tag value. */
interface TagMatcher {
  readonly value: string;
  readonly operator: string;
  readonly caseInsensitive: boolean;
}

/** Where the app configures model invocation logging. */
export interface LoggingCoverage {
  /** The `account|region` keys configured. */
  readonly environments: Set<string>;
  /** Paths of logging calls whose target account or Region cannot be read from the template. */
  readonly unresolved: string[];
}

/** Which team tag values the app's budgets filter on. */
export interface TeamBudgetCoverage {
  /** Paths of budgets whose type or team filter could not be resolved. */
  readonly unresolvedBudgets: string[];
  /** Whether some COST budget in the app filters on this team tag value. */
  covers(teamValue: string): boolean;
}

const PSEUDO_PREFIX = 'AWS::';
const APPLICATION_PROFILE_ARN_ATTRIBUTES = new Set(['InferenceProfileArn', 'InferenceProfileIdentifier']);
const JSON_TOKEN = '__BEDROCK_GOVERNANCE_NAG_TOKEN__';
const JSON_REGION = '__BEDROCK_GOVERNANCE_NAG_REGION__';
const JSON_ACCOUNT = '__BEDROCK_GOVERNANCE_NAG_ACCOUNT__';

/**
 * A one-pass index of an app's CloudFormation resources, built once per root per pack run.
 *
 * Rules see one resource at a time; the ones that need the rest of the app (logging anywhere for
 * the account and Region, budgets anywhere, policies attached to a role) ask this index. Derived
 * data is computed lazily and memoized, so a rule stays a function of (resource, index).
 */
export class NagAppIndex {
  /** The environment key (`account|region`) of a stack, tokens included as their string form. */
  public static environmentOf(scope: IConstruct): string {
    const stack = Stack.of(scope);
    return `${stack.account}|${stack.region}`;
  }

  /** Every CfnResource under the root, in tree order. */
  public readonly resources: CfnResource[] = [];

  private readonly outputs: CfnOutput[] = [];
  private readonly nestedStacks = new Map<CfnResource, NestedStack>();
  /** Each stack's elements by logical id, one map per tier of `ELEMENT_TIERS` (built when first needed). */
  private readonly elementsByStack = new Map<Stack, Array<Map<string, CfnElement>>>();
  /** The CfnElements of each stack (not of the stacks nested in it), gathered by the constructor's one walk. */
  private readonly elementsOfStack = new Map<Stack, CfnElement[]>();
  /**
   * The statements and tags of the resources read last (at most MEMO_SIZE each): the rules read one resource after
   * another, each rule of it in turn, so a bounded memo keeps what they share without holding every resolved policy
   * of the app until the run ends (which made each garbage collection of a large app slower).
   */
  private readonly statementsMemo = new Map<CfnResource, StatementView[] | undefined>();
  private readonly tagsMemo = new Map<CfnResource, RenderedTag[]>();
  private exportsMemo?: Map<string, CfnOutput>;
  private loggingMemo?: LoggingCoverage;
  private readonly budgetMemo = new Map<string, TeamBudgetCoverage>();
  private attachmentsMemo?: Map<CfnResource, CfnResource[]>;

  constructor(root: IConstruct) {
    for (const construct of root.node.findAll()) {
      if (CfnResource.isCfnResource(construct)) {
        this.resources.push(construct);
      } else if (construct instanceof CfnOutput) {
        this.outputs.push(construct);
      }
      if (NestedStack.isNestedStack(construct) && construct.nestedStackResource !== undefined) {
        this.nestedStacks.set(construct.nestedStackResource, construct);
      }
      if (CfnElement.isCfnElement(construct)) {
        const stack = Stack.of(construct);
        const elements = this.elementsOfStack.get(stack);
        if (elements === undefined) {
          this.elementsOfStack.set(stack, [construct]);
        } else {
          elements.push(construct);
        }
      }
    }
  }

  /** The statements of an IAM policy-bearing resource, or undefined for any other resource. */
  public statementsOf(node: CfnResource): StatementView[] | undefined {
    if (this.statementsMemo.has(node)) {
      return this.statementsMemo.get(node);
    }
    const documents = policyDocumentsOf(node);
    const result = documents === undefined ? undefined : documents.flatMap((doc) => this.readDocument(node, doc));
    remember(this.statementsMemo, node, result);
    return result;
  }

  /** The tags a resource will be deployed with (see `renderedTags`). */
  public tagsOf(node: CfnResource): RenderedTag[] {
    let tags = this.tagsMemo.get(node);
    if (tags === undefined) {
      tags = renderedTags(node);
      remember(this.tagsMemo, node, tags);
    }
    return tags;
  }

  /**
   * The app's resource of this logical id in this stack (or parameter), if any.
   *
   * Resolving a logical id hashes its construct path, and a stack holds hundreds of elements, while the references
   * the rules follow nearly always point to a few kinds: the ids of a stack's application inference profiles are
   * resolved first, then those of its other likely targets (parameters, roles, policies, nested stacks), and those
   * of all its elements only when an id is not among them. Logical ids are unique in a stack, so every tier gives
   * the element the template would name.
   */
  public element(stack: Stack, logicalId: string): CfnElement | undefined {
    for (let tier = 0; tier < ELEMENT_TIERS.length; tier++) {
      const found = this.idsOf(stack, tier).get(logicalId);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }

  /** The logical ids of a stack's elements of one tier of `ELEMENT_TIERS`, resolved in one call (renames and overrides applied, as in the template). */
  private idsOf(stack: Stack, tier: number): Map<string, CfnElement> {
    let tiers = this.elementsByStack.get(stack);
    if (tiers === undefined) {
      tiers = [];
      this.elementsByStack.set(stack, tiers);
    }
    let byId = tiers[tier];
    if (byId === undefined) {
      const elements = (this.elementsOfStack.get(stack) ?? []).filter((element) => elementTier(element) === tier);
      const ids: string[] = stack.resolve(elements.map((element) => element.logicalId));
      byId = new Map(ids.map((id, i) => [id, elements[i]]));
      tiers[tier] = byId;
    }
    return byId;
  }

  /**
   * The element a resolved value points to: `Ref` or `Fn::GetAtt` in the same stack, or an
   * `Fn::ImportValue` of an export made in this app.
   */
  public referencedElement(value: unknown, stack: Stack, depth = 0): CfnElement | undefined {
    if (!isIntrinsic(value) || depth > 3) {
      return undefined;
    }
    const passed = this.throughNestedStack(value, stack);
    if (passed !== undefined) {
      return this.referencedElement(passed.value, passed.stack, depth + 1);
    }
    const v = value as Record<string, any>;
    if (typeof v.Ref === 'string') {
      return v.Ref.startsWith(PSEUDO_PREFIX) ? undefined : this.element(stack, v.Ref);
    }
    if (v['Fn::GetAtt'] !== undefined) {
      const [id] = getAttParts(v['Fn::GetAtt']);
      return typeof id === 'string' ? this.element(stack, id) : undefined;
    }
    if (typeof v['Fn::ImportValue'] === 'string') {
      const output = this.exports().get(v['Fn::ImportValue']);
      if (output === undefined) {
        return undefined;
      }
      const producer = Stack.of(output);
      return this.referencedElement(producer.resolve(output.value), producer, depth + 1);
    }
    return undefined;
  }

  /**
   * A resolved resource value (or condition value) as an ARN pattern. Pseudo parameters and other
   * deploy-time parts inside a string become `TOKEN`; whole references are typed by the resource they
   * point to (an application inference profile's ARN, another service's ARN); anything else is `UNKNOWN`.
   */
  public patternOf(value: unknown, stack: Stack, depth = 0): ArnPattern {
    const display = () => flattenReference(value);
    if (typeof value === 'string') {
      return new ArnPattern(literalText(value), display);
    }
    if (!isIntrinsic(value) || depth > 3) {
      return ArnPattern.unknown(display);
    }
    const v = value as Record<string, any>;
    const passed = this.throughNestedStack(value, stack);
    if (passed !== undefined) {
      const inner = this.patternOf(passed.value, passed.stack, depth + 1);
      return new ArnPattern(inner.text, display, inner.profile);
    }
    if (v.Ref !== undefined || v['Fn::GetAtt'] !== undefined) {
      return this.wholeReference(v, stack, display);
    }
    if (typeof v['Fn::ImportValue'] === 'string') {
      const output = this.exports().get(v['Fn::ImportValue']);
      if (output === undefined) {
        return ArnPattern.unknown(display);
      }
      const producer = Stack.of(output);
      const inner = this.patternOf(producer.resolve(output.value), producer, depth + 1);
      return new ArnPattern(inner.text, display, inner.profile);
    }
    const join = v['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      return new ArnPattern(join[1].map((part: unknown) => this.partText(part, stack, depth)).join(join[0]), display);
    }
    const sub = v['Fn::Sub'];
    if (sub !== undefined) {
      const [template, variables] = Array.isArray(sub) ? sub : [sub, {}];
      if (typeof template === 'string') {
        const text = template.replace(/\$\{([^}]*)\}/g, (_match, name: string) => {
          if (name.startsWith('!')) {
            return OPAQUE;
          }
          if (variables && variables[name] !== undefined) {
            return this.partText(variables[name], stack, depth);
          }
          if (name.includes('.') && !name.startsWith(PSEUDO_PREFIX)) {
            return this.partText({ 'Fn::GetAtt': name.split('.') }, stack, depth);
          }
          return TOKEN;
        });
        return new ArnPattern(text, display);
      }
    }
    return ArnPattern.unknown(display);
  }

  /**
   * Where this app configures model invocation logging: the `account|region` keys of custom resources
   * whose Create or Update is an `AwsCustomResource` call to Bedrock `PutModelInvocationLoggingConfiguration`
   * with an S3 or CloudWatch destination (or that are `InvocationLogging`'s inline-code setting), and the paths of such calls whose target account or Region
   * cannot be read from the template.
   */
  public loggingCoverage(): LoggingCoverage {
    if (this.loggingMemo === undefined) {
      const environments = new Set<string>();
      const unresolved: string[] = [];
      for (const resource of this.resources) {
        const type = resource.cfnResourceType;
        if (!type.startsWith('Custom::') && type !== 'AWS::CloudFormation::CustomResource') {
          continue;
        }
        const stack = Stack.of(resource);
        // cdk-nag's own rules read custom resources' properties the same way (there is no public getter).
        const properties = stack.resolve((resource as any)._cfnProperties);
        if (type === INLINE_LOGGING_RESOURCE_TYPE) {
          // InvocationLogging with inlineHandler: the setting of its own stack's account and Region.
          const config = prop(properties, 'LoggingConfig');
          if (prop(config, 's3Config') !== undefined || prop(config, 'cloudWatchConfig') !== undefined) {
            environments.add(`${stack.account}|${stack.region}`);
          }
          continue;
        }
        for (const key of ['Create', 'Update']) {
          const call = parseSdkCall(prop(properties, key));
          if (call === undefined || !isLoggingCall(call)) {
            continue;
          }
          const env = loggingEnvironmentOf(call, stack);
          if (env === undefined) {
            unresolved.push(resource.node.path);
          } else {
            environments.add(env);
          }
        }
      }
      this.loggingMemo = { environments, unresolved: [...new Set(unresolved)] };
    }
    return this.loggingMemo;
  }

  /** Which values of the team tag the app's COST budgets filter on. */
  public teamBudgetCoverage(teamTagKey: string): TeamBudgetCoverage {
    let coverage = this.budgetMemo.get(teamTagKey);
    if (coverage === undefined) {
      coverage = this.buildBudgetCoverage(teamTagKey);
      this.budgetMemo.set(teamTagKey, coverage);
    }
    return coverage;
  }

  /**
   * The policy resources attached to a role besides its inline policies: `AWS::IAM::Policy`,
   * `ManagedPolicy` and `RolePolicy` naming it, and customer managed policies of this app in its
   * `ManagedPolicyArns`. AWS managed policies cannot be read offline and are not included.
   */
  public attachedPolicies(role: iam.CfnRole): CfnResource[] {
    if (this.attachmentsMemo === undefined) {
      this.attachmentsMemo = this.buildAttachments();
    }
    return this.attachmentsMemo.get(role) ?? [];
  }

  private buildAttachments(): Map<CfnResource, CfnResource[]> {
    const attachments = new Map<CfnResource, CfnResource[]>();
    const attach = (role: CfnResource | undefined, policy: CfnResource) => {
      if (role === undefined) {
        return;
      }
      const list = attachments.get(role) ?? [];
      if (!list.includes(policy)) {
        list.push(policy);
      }
      attachments.set(role, list);
    };
    const rolesByName = new Map<string, iam.CfnRole>();
    for (const resource of this.resources) {
      if (resource instanceof iam.CfnRole) {
        const name = Stack.of(resource).resolve(resource.roleName);
        if (typeof name === 'string') {
          rolesByName.set(name, resource);
        }
      }
    }
    const roleOf = (value: unknown, stack: Stack): CfnResource | undefined => {
      if (typeof value === 'string') {
        return rolesByName.get(value);
      }
      const element = this.referencedElement(value, stack);
      return element instanceof iam.CfnRole ? element : undefined;
    };
    for (const resource of this.resources) {
      const stack = Stack.of(resource);
      if (resource instanceof iam.CfnPolicy || resource instanceof iam.CfnManagedPolicy) {
        for (const target of asList(stack.resolve(resource.roles))) {
          attach(roleOf(target, stack), resource);
        }
      } else if (resource instanceof iam.CfnRolePolicy) {
        attach(roleOf(stack.resolve(resource.roleName), stack), resource);
      } else if (resource instanceof iam.CfnRole) {
        for (const arn of asList(stack.resolve(resource.managedPolicyArns))) {
          const element = this.referencedElement(arn, stack);
          if (element instanceof iam.CfnManagedPolicy) {
            attach(resource, element);
          }
        }
      }
    }
    return attachments;
  }

  private buildBudgetCoverage(teamTagKey: string): TeamBudgetCoverage {
    const matchers: TagMatcher[] = [];
    const unresolvedBudgets: string[] = [];
    const keys = new Set([teamTagKey, `user:${teamTagKey}`]);
    for (const resource of this.resources) {
      if (!(resource instanceof CfnBudget)) {
        continue;
      }
      const budget = Stack.of(resource).resolve(resource.budget);
      const type = prop(budget, 'budgetType');
      if (typeof type !== 'string') {
        unresolvedBudgets.push(resource.node.path);
        continue;
      }
      if (type !== 'COST') {
        continue;
      }
      let unresolved = false;
      const walk = (expression: unknown, negated: boolean): void => {
        if (expression === undefined) {
          return;
        }
        if (expression === null || typeof expression !== 'object' || isIntrinsic(expression)) {
          unresolved = true;
          return;
        }
        for (const key of ['and', 'or']) {
          const list = prop(expression, key);
          if (list !== undefined) {
            if (!Array.isArray(list)) {
              unresolved = true;
            } else {
              list.forEach((e) => walk(e, negated));
            }
          }
        }
        walk(prop(expression, 'not'), !negated);
        const tags = prop(expression, 'tags');
        if (tags === undefined || negated) {
          return;
        }
        const key = prop(tags, 'key');
        if (typeof key !== 'string') {
          unresolved = true;
          return;
        }
        if (!keys.has(key)) {
          return;
        }
        const options = asList(prop(tags, 'matchOptions'));
        if (options.some((o) => typeof o !== 'string')) {
          unresolved = true;
          return;
        }
        const upper = (options as string[]).map((o) => o.toUpperCase());
        const operator = ['STARTS_WITH', 'ENDS_WITH', 'CONTAINS', 'ABSENT', 'GREATER_THAN_OR_EQUAL'].find((o) => upper.includes(o)) ?? 'EQUALS';
        for (const value of asList(prop(tags, 'values'))) {
          if (typeof value === 'string') {
            matchers.push({ value, operator, caseInsensitive: upper.includes('CASE_INSENSITIVE') });
          } else {
            unresolved = true;
          }
        }
      };
      walk(prop(budget, 'filterExpression'), false);
      const costFilters = prop(budget, 'costFilters');
      if (costFilters !== undefined) {
        const tagKeyValues = prop(costFilters, 'TagKeyValue');
        for (const entry of asList(tagKeyValues)) {
          if (typeof entry !== 'string') {
            unresolved = true;
            continue;
          }
          const dollar = entry.indexOf('$');
          if (dollar > 0 && entry.slice(0, dollar) === `user:${teamTagKey}`) {
            matchers.push({ value: entry.slice(dollar + 1), operator: 'EQUALS', caseInsensitive: false });
          }
        }
      }
      if (unresolved) {
        unresolvedBudgets.push(resource.node.path);
      }
    }
    // Exact values are looked up in sets (one budget per team is the common case); only the
    // prefix, suffix and substring filters are scanned.
    const exact = new Set(matchers.filter((m) => m.operator === 'EQUALS' && !m.caseInsensitive).map((m) => m.value));
    const exactIgnoringCase = new Set(matchers.filter((m) => m.operator === 'EQUALS' && m.caseInsensitive).map((m) => m.value.toLowerCase()));
    const partial = matchers.filter((m) => m.operator !== 'EQUALS');
    return {
      unresolvedBudgets,
      covers: (teamValue: string) => exact.has(teamValue) || exactIgnoringCase.has(teamValue.toLowerCase())
        || partial.some((m) => tagMatches(m, teamValue)),
    };
  }

  /**
   * The value a reference passes on between a stack and its nested stacks (how aws-cdk-lib wires references
   * across them): `Ref` of a nested stack's parameter is what the parent passes in its `Parameters`, and
   * `Fn::GetAtt [<nested stack resource>, Outputs.<id>]` is the value of that nested stack's output.
   *
   * @returns the value and the stack it is written in, or undefined when the value is no such reference
   */
  private throughNestedStack(value: unknown, stack: Stack): { value: unknown; stack: Stack } | undefined {
    const v = value as Record<string, any>;
    if (typeof v.Ref === 'string' && NestedStack.isNestedStack(stack) && stack.nestedStackResource !== undefined) {
      if (!(this.element(stack, v.Ref) instanceof CfnParameter)) {
        return undefined;
      }
      const parent = Stack.of(stack.nestedStackResource);
      // the value aws-cdk-lib recorded for the parameter (NestedStack.setParameter, keyed by the parameter's logical
      // id token), resolved on its own: the nested stack resource's Parameters is a cached Lazy, which resolving
      // before references are wired (validateScope before synthesis) would freeze
      const recorded: unknown = (stack as any).parameters;
      const entry = recorded !== null && typeof recorded === 'object'
        ? Object.entries(recorded as Record<string, unknown>).find(([key]) => stack.resolve(key) === v.Ref) : undefined;
      return entry === undefined ? undefined : { value: parent.resolve(entry[1]), stack: parent };
    }
    if (v['Fn::GetAtt'] !== undefined) {
      const [id, attribute] = getAttParts(v['Fn::GetAtt']);
      if (typeof id !== 'string' || typeof attribute !== 'string' || !attribute.startsWith('Outputs.')) {
        return undefined;
      }
      const resource = this.element(stack, id);
      const nested = resource instanceof CfnResource ? this.nestedStacks.get(resource) : undefined;
      if (nested === undefined) {
        return undefined;
      }
      const outputId = attribute.slice('Outputs.'.length);
      const output = this.outputs.find((o) => Stack.of(o) === nested && nested.resolve(o.logicalId) === outputId);
      return output === undefined ? undefined : { value: nested.resolve(output.value), stack: nested };
    }
    return undefined;
  }

  private exports(): Map<string, CfnOutput> {
    if (this.exportsMemo === undefined) {
      this.exportsMemo = new Map();
      for (const output of this.outputs) {
        const name = Stack.of(output).resolve(output.exportName);
        if (typeof name === 'string') {
          this.exportsMemo.set(name, output);
        }
      }
    }
    return this.exportsMemo;
  }

  private wholeReference(v: Record<string, any>, stack: Stack, display: () => string): ArnPattern {
    if (typeof v.Ref === 'string' && v.Ref.startsWith(PSEUDO_PREFIX)) {
      return new ArnPattern(TOKEN, display);
    }
    const element = this.referencedElement(v, stack);
    if (!(element instanceof CfnResource)) {
      // A parameter, a resource of another app, or something unreadable.
      return ArnPattern.unknown(display);
    }
    const type = element.cfnResourceType;
    if (type.startsWith('Custom::') || type.startsWith('AWS::CloudFormation::')) {
      return ArnPattern.unknown(display);
    }
    const attribute = v['Fn::GetAtt'] === undefined ? undefined : String(getAttParts(v['Fn::GetAtt'])[1]);
    if (element instanceof CfnApplicationInferenceProfile) {
      if (attribute !== undefined && APPLICATION_PROFILE_ARN_ATTRIBUTES.has(attribute)) {
        return new ArnPattern(`arn:${TOKEN}:bedrock:${TOKEN}:${TOKEN}:application-inference-profile/${TOKEN}`, display, element);
      }
      // Ref of a profile is documented ambiguously; other attributes are not ARNs.
      return attribute === undefined ? ArnPattern.unknown(display) : new ArnPattern(OPAQUE, display);
    }
    if (attribute !== undefined && !attribute.endsWith('Arn')) {
      return ArnPattern.unknown(display);
    }
    if (type.startsWith('AWS::Bedrock::')) {
      // The ARN of another Bedrock resource type (agent, guardrail, knowledge base...): never a model or profile.
      return new ArnPattern(attribute === undefined ? OPAQUE : `arn:${TOKEN}:bedrock:${TOKEN}:${TOKEN}:${OPAQUE}`, display);
    }
    // A name, id or ARN of another service's resource.
    return new ArnPattern(OPAQUE, display);
  }

  private partText(part: unknown, stack: Stack, depth: number): string {
    if (typeof part === 'string') {
      return literalText(part);
    }
    if (isIntrinsic(part)) {
      const v = part as Record<string, any>;
      if (v['Fn::GetAtt'] !== undefined || v['Fn::ImportValue'] !== undefined || v['Fn::Join'] !== undefined || v['Fn::Sub'] !== undefined) {
        const inner = this.patternOf(part, stack, depth + 1);
        if (!inner.isUnknown) {
          return inner.text;
        }
      }
    }
    return TOKEN;
  }

  private readDocument(node: CfnResource, document: unknown): StatementView[] {
    const path = node.node.path;
    const stack = Stack.of(node);
    if (document === undefined || document === null) {
      return [];
    }
    const statements = prop(document, 'Statement');
    if (isIntrinsic(document) || isIntrinsic(statements)) {
      return [{ path, unreadable: 'the policy document is an intrinsic function' }];
    }
    return asList(statements).map((statement): StatementView => {
      if (isIntrinsic(statement) || statement === null || typeof statement !== 'object') {
        return { path, unreadable: `the statement ${flattenReference(statement)} is not a literal object` };
      }
      const effect = prop(statement, 'Effect');
      if (typeof effect !== 'string') {
        return { path, unreadable: `the Effect ${flattenReference(effect)} is not a literal string` };
      }
      const action = prop(statement, 'Action');
      const notAction = prop(statement, 'NotAction');
      if (!literalActions(action) || !literalActions(notAction)) {
        return { path, effect, unreadable: 'an Action or NotAction is not a literal string' };
      }
      const condition = prop(statement, 'Condition');
      const unreadable = condition !== undefined && (condition === null || typeof condition !== 'object' || isIntrinsic(condition))
        ? 'the Condition is not a literal object' : undefined;
      return new ReadStatement(this, stack, path, effect, statement, action, notAction, unreadable === undefined ? condition : undefined, unreadable);
    });
  }
}

/**
 * A statement read from a resolved policy: its actions are lower-cased and its resources typed on first use only
 * (the rules read the actions of Allow statements only, and most statements never reach a Bedrock rule).
 */
class ReadStatement implements StatementView {
  private actionsMemo: ActionPattern[] | undefined | null = null;
  private notActionsMemo: ActionPattern[] | undefined | null = null;
  private resourcesMemo: ArnPattern[] | undefined | null = null;
  private notResourcesMemo: ArnPattern[] | undefined | null = null;

  constructor(
    private readonly index: NagAppIndex,
    private readonly stack: Stack,
    public readonly path: string,
    public readonly effect: string,
    private readonly statement: unknown,
    private readonly action: unknown,
    private readonly notAction: unknown,
    public readonly condition: Record<string, unknown> | undefined,
    public readonly unreadable: string | undefined,
  ) {}

  public get actions(): ActionPattern[] | undefined {
    if (this.actionsMemo === null) {
      this.actionsMemo = readActions(this.action);
    }
    return this.actionsMemo;
  }

  public get notActions(): ActionPattern[] | undefined {
    if (this.notActionsMemo === null) {
      this.notActionsMemo = readActions(this.notAction);
    }
    return this.notActionsMemo;
  }

  public get resources(): ArnPattern[] | undefined {
    if (this.resourcesMemo === null) {
      this.resourcesMemo = this.patterns(prop(this.statement, 'Resource'));
    }
    return this.resourcesMemo;
  }

  public get notResources(): ArnPattern[] | undefined {
    if (this.notResourcesMemo === null) {
      this.notResourcesMemo = this.patterns(prop(this.statement, 'NotResource'));
    }
    return this.notResourcesMemo;
  }

  private patterns(value: unknown): ArnPattern[] | undefined {
    return value === undefined ? undefined : asList(value).map((r) => this.index.patternOf(r, this.stack));
  }
}

/** The resolved policy documents of an IAM resource, or undefined when the resource has none. */
function policyDocumentsOf(node: CfnResource): unknown[] | undefined {
  const stack = Stack.of(node);
  if (node instanceof iam.CfnPolicy || node instanceof iam.CfnManagedPolicy || node instanceof iam.CfnRolePolicy
    || node instanceof iam.CfnUserPolicy || node instanceof iam.CfnGroupPolicy) {
    return [stack.resolve(node.policyDocument)];
  }
  if (node instanceof iam.CfnRole || node instanceof iam.CfnUser || node instanceof iam.CfnGroup) {
    const policies = stack.resolve(node.policies);
    if (policies === undefined) {
      return [];
    }
    if (!Array.isArray(policies)) {
      return [policies];
    }
    return policies.map((policy) => stack.resolve(prop(policy, 'policyDocument')));
  }
  return undefined;
}

/** Whether an `Action` or `NotAction` value is absent or literal strings. */
function literalActions(value: unknown): boolean {
  return value === undefined || asList(value).every((a) => typeof a === 'string');
}

/** Action patterns, lower-cased (the value passed `literalActions`). */
function readActions(value: unknown): ActionPattern[] | undefined {
  return value === undefined ? undefined : (asList(value) as string[]).map((a) => ({ pattern: a.toLowerCase(), display: a }));
}

/** A literal policy string as glob text: IAM policy variables (`${aws:username}`) are deploy-time values. */
function literalText(value: string): string {
  return value.replace(/\$\{([^}]*)\}/g, (_match, name: string) => (name === '*' || name === '?' || name === '$' ? OPAQUE : TOKEN));
}

/** How many resources' statements and tags the index keeps (the last ones read). */
const MEMO_SIZE = 64;

/** Store a value in a memo of at most MEMO_SIZE entries, dropping the oldest. */
function remember<V>(memo: Map<CfnResource, V>, node: CfnResource, value: V): void {
  if (memo.size >= MEMO_SIZE) {
    memo.delete(memo.keys().next().value!);
  }
  memo.set(node, value);
}

/**
 * The order in which `element()` resolves a stack's logical ids: application inference profiles (what policy
 * statements name), then the other kinds references point to (parameters, roles, managed policies, nested stacks),
 * then everything else.
 */
const ELEMENT_TIERS = ['profiles', 'other reference targets', 'the rest'];

/** The tier of `ELEMENT_TIERS` an element is in. */
function elementTier(element: CfnElement): number {
  if (element instanceof CfnApplicationInferenceProfile) {
    return 0;
  }
  return element instanceof CfnParameter || element instanceof iam.CfnRole || element instanceof iam.CfnManagedPolicy
    || (CfnResource.isCfnResource(element) && element.cfnResourceType === 'AWS::CloudFormation::Stack') ? 1 : 2;
}

function getAttParts(arg: unknown): unknown[] {
  return Array.isArray(arg) ? arg : String(arg).split('.');
}

function tagMatches(matcher: TagMatcher, teamValue: string): boolean {
  const value = matcher.caseInsensitive ? matcher.value.toLowerCase() : matcher.value;
  const team = matcher.caseInsensitive ? teamValue.toLowerCase() : teamValue;
  switch (matcher.operator) {
    case 'EQUALS':
      return value === team;
    case 'STARTS_WITH':
      return team.startsWith(value);
    case 'ENDS_WITH':
      return team.endsWith(value);
    case 'CONTAINS':
      return team.includes(value);
    default:
      return false;
  }
}

/** An `AwsCustomResource` call read back from its Create/Update property. */
interface SdkCall {
  readonly service?: unknown;
  readonly action?: unknown;
  readonly parameters?: unknown;
  readonly region?: unknown;
  readonly assumedRoleArn?: unknown;
}

/**
 * Read the JSON call of an `AwsCustomResource` property (a JSON string, or an `Fn::Join` of JSON text
 * around deploy-time values). Deploy-time values stand as markers inside their JSON strings.
 */
function parseSdkCall(value: unknown): SdkCall | undefined {
  let text: string | undefined;
  if (typeof value === 'string') {
    text = value;
  } else if (isIntrinsic(value)) {
    const join = (value as Record<string, any>)['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      text = join[1].map((part: unknown) => {
        if (typeof part === 'string') {
          return part;
        }
        const ref = prop(part, 'Ref');
        return ref === 'AWS::Region' ? JSON_REGION : ref === 'AWS::AccountId' ? JSON_ACCOUNT : JSON_TOKEN;
      }).join(join[0]);
    }
  }
  if (text === undefined) {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text);
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The resource type of `InvocationLogging`'s inline-code setting (`inlineHandler: true`). */
const INLINE_LOGGING_RESOURCE_TYPE = 'Custom::BedrockInvocationLogging';

/** `Bedrock`, `bedrock`, `@aws-sdk/client-bedrock`, `BedrockClient` -> `bedrock`. */
function normalizeService(service: string): string {
  return service.toLowerCase().replace(/^@aws-sdk\//, '').replace(/^client-/, '').replace(/client$/, '');
}

/** `putModelInvocationLoggingConfiguration`, `PutModelInvocationLoggingConfigurationCommand` -> lower case, no suffix. */
function normalizeAction(action: string): string {
  return action.toLowerCase().replace(/command$/, '');
}

/** Whether the call is Bedrock `PutModelInvocationLoggingConfiguration` with an S3 or CloudWatch destination. */
function isLoggingCall(call: SdkCall): boolean {
  if (typeof call.service !== 'string' || typeof call.action !== 'string') {
    return false;
  }
  if (normalizeService(call.service) !== 'bedrock' || normalizeAction(call.action) !== 'putmodelinvocationloggingconfiguration') {
    return false;
  }
  const config = prop(call.parameters, 'loggingConfig');
  return prop(config, 's3Config') !== undefined || prop(config, 'cloudWatchConfig') !== undefined;
}

/**
 * The `account|region` a logging call configures, or undefined when its target account or Region
 * cannot be told from the template.
 */
function loggingEnvironmentOf(call: SdkCall, stack: Stack): string | undefined {
  let region: string | undefined = stack.region;
  if (call.region !== undefined) {
    region = call.region === JSON_REGION ? stack.region
      : typeof call.region === 'string' && !call.region.includes('__BEDROCK_GOVERNANCE_NAG_') ? call.region : undefined;
  }
  let account: string | undefined = stack.account;
  if (call.assumedRoleArn !== undefined) {
    const roleAccount = typeof call.assumedRoleArn === 'string' ? call.assumedRoleArn.split(':')[4] : undefined;
    account = roleAccount === JSON_ACCOUNT ? stack.account
      : roleAccount !== undefined && /^\d{12}$/.test(roleAccount) ? roleAccount : undefined;
  }
  return region === undefined || account === undefined ? undefined : `${account}|${region}`;
}

