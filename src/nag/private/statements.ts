import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import { NagAppIndex, StatementView } from './app-index';
import { ArnPattern, FOUNDATION_MODEL_SHAPE, SYSTEM_PROFILE_SHAPE } from './arn';
import { OPAQUE, TOKEN, globCovers, globIntersects } from './glob';
import { asList, prop, tagValue } from './values';
import { BedrockModel } from '../../models/bedrock-model';
import { ModelTier } from '../../models/pricing';
import { CrossRegionGeo } from '../../models/routing';

/** The actions that call a model (Converse and ConverseStream authorize as these). */
export const INVOKE_ACTIONS = ['bedrock:invokemodel', 'bedrock:invokemodelwithresponsestream'];
/** The streaming invoke action (ConverseStream, InvokeModelWithResponseStream). */
export const STREAM_ACTION = 'bedrock:invokemodelwithresponsestream';
/** The condition key that carries the inference profile a call went through. */
const PROFILE_ARN_KEY = 'bedrock:inferenceprofilearn';

/** Throw (so that the pack reports a rule error) when an Allow statement cannot be read. */
export function assertReadable(statement: StatementView): void {
  if (statement.unreadable !== undefined && statement.effect !== 'Deny') {
    throw new Error(`${statement.path}: ${statement.unreadable}, so the statement cannot be checked`);
  }
}

/** The readable Allow statements of a policy-bearing resource (throws on unreadable ones). */
export function allowStatements(statements: StatementView[]): StatementView[] {
  statements.forEach(assertReadable);
  return statements.filter((s) => s.effect === 'Allow');
}

/** Whether the statement allows this concrete (lower-case) action. */
export function allowsAction(statement: StatementView, action: string): boolean {
  if (statement.actions !== undefined) {
    return statement.actions.some((a) => globCovers(a.pattern, action));
  }
  if (statement.notActions !== undefined) {
    return !statement.notActions.some((a) => globCovers(a.pattern, action));
  }
  return false;
}

/** Whether the statement allows some action matched by the (lower-case) glob. */
export function allowsSomeOf(statement: StatementView, glob: string): boolean {
  if (statement.actions !== undefined) {
    return statement.actions.some((a) => globIntersects(a.pattern, glob));
  }
  if (statement.notActions !== undefined) {
    return !statement.notActions.some((a) => globCovers(a.pattern, glob));
  }
  return false;
}

/** Whether the statement allows every action matched by the (lower-case) glob. */
export function allowsAllOf(statement: StatementView, glob: string): boolean {
  if (statement.actions !== undefined) {
    return statement.actions.some((a) => globCovers(a.pattern, glob));
  }
  if (statement.notActions !== undefined) {
    return !statement.notActions.some((a) => globIntersects(a.pattern, glob));
  }
  return false;
}

/**
 * Finding ids (`Resource::...` / `NotResource::...`) of the statement's resources that can match
 * an ARN of the shape.
 *
 * @throws when no readable resource matches and one of them cannot be bounded
 */
export function resourcesReaching(statement: StatementView, shape: string): string[] {
  if (statement.resources !== undefined) {
    const hits = statement.resources.filter((r) => !r.isUnknown && r.intersects(shape)).map((r) => `Resource::${r.display}`);
    if (hits.length === 0) {
      throwIfUnknown(statement, statement.resources);
    }
    return [...new Set(hits)];
  }
  if (statement.notResources !== undefined) {
    if (statement.notResources.some((r) => !r.isUnknown && r.covers(shape))) {
      return [];
    }
    throwIfUnknown(statement, statement.notResources);
    return [`NotResource::${statement.notResources.map((r) => r.display).join(',')}`];
  }
  return [];
}

/** Whether the statement can reach some ARN of the shape. */
export function reaches(statement: StatementView, shape: string): boolean {
  return resourcesReaching(statement, shape).length > 0;
}

function throwIfUnknown(statement: StatementView, patterns: ArnPattern[]): void {
  const unknown = patterns.find((r) => r.isUnknown);
  if (unknown !== undefined) {
    throw new Error(`${statement.path}: the resource ${unknown.display} cannot be resolved at synth time, so the statement cannot be checked`);
  }
}

/** A condition operator that requires the key to be present and to match the values. */
function positiveOperator(operator: string): string | undefined {
  const op = operator.toLowerCase();
  if (op.endsWith('ifexists') || op.startsWith('forallvalues:') || op.includes('not') || op === 'null') {
    return undefined;
  }
  return op.replace(/^foranyvalue:/, '');
}

/**
 * Whether the statement only applies to calls made through application inference profiles: a
 * condition on `bedrock:InferenceProfileArn` that requires the key (no `...IfExists`, `Null`,
 * negated or `ForAllValues:` operator) with values that cannot match a system inference profile
 * or a foundation model.
 *
 * @throws when no condition settles it and a condition value cannot be resolved
 */
export function pinsToApplicationProfiles(statement: StatementView, index: NagAppIndex, stack: Stack): boolean {
  const condition = statement.condition;
  if (condition === undefined) {
    return false;
  }
  let unresolved: string | undefined;
  for (const [operator, block] of Object.entries(condition)) {
    const op = positiveOperator(operator);
    if (op === undefined || !['arnequals', 'arnlike', 'stringequals', 'stringlike', 'stringequalsignorecase'].includes(op)) {
      continue;
    }
    if (block === null || typeof block !== 'object') {
      continue;
    }
    for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
      if (key.toLowerCase() !== PROFILE_ARN_KEY) {
        continue;
      }
      const patterns = asList(values).map((v) => index.patternOf(v, stack));
      if (patterns.length === 0) {
        continue;
      }
      const unknown = patterns.find((p) => p.isUnknown);
      if (unknown !== undefined) {
        unresolved = unknown.display;
        continue;
      }
      if (patterns.every((p) => !conditionValueReaches(p, op, FOUNDATION_MODEL_SHAPE) && !conditionValueReaches(p, op, SYSTEM_PROFILE_SHAPE))) {
        return true;
      }
    }
  }
  if (unresolved !== undefined) {
    throw new Error(`${statement.path}: the bedrock:InferenceProfileArn condition value ${unresolved} cannot be resolved at synth time, so the statement cannot be checked`);
  }
  return false;
}

/** Whether a condition value under this operator can accept an ARN of the shape. */
function conditionValueReaches(pattern: ArnPattern, operator: string, shape: string): boolean {
  if (operator.startsWith('arn')) {
    return pattern.intersects(shape);
  }
  let text = pattern.text;
  if (operator.startsWith('stringequals')) {
    // StringEquals has no wildcards: a `*` in the value is a literal character.
    text = text.replace(/[*?]/g, OPAQUE);
  }
  if (operator === 'stringequalsignorecase') {
    text = text.toLowerCase();
  }
  return globIntersects(text, shape);
}

/** Whether the statement has a positive condition on a resource tag (`aws:ResourceTag/<key>`). */
export function scopedByResourceTag(statement: StatementView): boolean {
  const condition = statement.condition;
  if (condition === undefined) {
    return false;
  }
  return Object.entries(condition).some(([operator, block]) =>
    positiveOperator(operator) !== undefined && block !== null && typeof block === 'object'
    && Object.keys(block as object).some((key) => key.toLowerCase().startsWith('aws:resourcetag/')));
}

/** All statements that apply to a role: its inline policies and the app's policies attached to it. */
export function roleStatements(role: iam.CfnRole, index: NagAppIndex): StatementView[] {
  const own = index.statementsOf(role) ?? [];
  const attached = index.attachedPolicies(role).flatMap((p) => index.statementsOf(p) ?? []);
  return [...own, ...attached];
}

/** Whether the role is named in a list of construct paths or logical ids. */
export function roleListed(role: iam.CfnRole, names: ReadonlySet<string>): boolean {
  if (names.size === 0) {
    return false;
  }
  if (names.has(role.node.path) || names.has(Stack.of(role).resolve(role.logicalId))) {
    return true;
  }
  const parent = role.node.scope;
  return parent !== undefined && parent.node.defaultChild === role && names.has(parent.node.path);
}

/** The value of a tag on a resource, lower-cased, when it is a literal string. */
export function literalTag(node: CfnResource, key: string, index: NagAppIndex): string | undefined {
  const value = tagValue(index.tagsOf(node), key);
  if (value !== undefined && typeof value !== 'string') {
    throw new Error(`${node.node.path}: the value of tag '${key}' is not a literal string, so the rule cannot tell how the role is marked`);
  }
  return value?.toLowerCase();
}

const GEO_PREFIXES = [...Object.values(CrossRegionGeo), 'global'] as string[];

/**
 * The catalogue model an application inference profile copies, read from `ModelSource.CopyFrom`
 * (a foundation-model or system inference-profile ARN; the geo prefix is stripped).
 *
 * @returns undefined when the model is not in the built-in catalogue
 * @throws when the model id cannot be read from the template
 */
export function profileModel(profile: CfnApplicationInferenceProfile, index: NagAppIndex): BedrockModel | undefined {
  const stack = Stack.of(profile);
  const copyFrom = prop(stack.resolve(profile.modelSource), 'copyFrom');
  const pattern = index.patternOf(copyFrom, stack);
  const resource = pattern.isUnknown ? undefined : pattern.resourcePart;
  const match = resource === undefined ? null : /^(?:foundation-model|inference-profile)\/(.+)$/.exec(resource);
  if (match === null || /[*?]/.test(match[1]) || match[1].includes(TOKEN) || match[1].includes(OPAQUE)) {
    throw new Error(`${profile.node.path}: the model of ModelSource.CopyFrom ${pattern.display} cannot be read at synth time`);
  }
  let modelId = match[1];
  const dot = modelId.indexOf('.');
  if (dot > 0 && GEO_PREFIXES.includes(modelId.slice(0, dot)) && modelId.indexOf('.', dot + 1) > 0) {
    modelId = modelId.slice(dot + 1);
  }
  return BedrockModel.fromModelId(modelId);
}

/** Whether a model is rated PREMIUM by the catalogue. */
export function isPremium(model: BedrockModel | undefined): boolean {
  return model?.tier === ModelTier.PREMIUM;
}

