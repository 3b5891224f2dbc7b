/**
 * The fair baseline: a hand-written-style L1 app compiled from a synthesized governed app, so that it always
 * produces the same resources.
 *
 * `compileBaseline()` reads the synthesized templates (types, properties, options, references) and the
 * construct tree (ids, order, stacks and nested stacks) once, and turns each resource's CloudFormation properties
 * into the camelCase props of its typed L1 class (`CfnRole`, `CfnManagedPolicy`, `CfnAlarm`, `CfnDashboard`,
 * `CfnApplicationInferenceProfile`, `CfnBudget`, `aws_ssm.CfnParameter`...: the class of aws-cdk-lib whose
 * `CFN_RESOURCE_TYPE_NAME` is the type), with a marker where a token goes. `buildBaseline()` then builds, from that
 * plan, an app of those typed L1s (`new CfnXxx(scope, id, props)`, as hand-written code does) at the same construct
 * paths, in the same stacks and nested stacks, whose props carry real tokens: every `Ref`/`Fn::GetAtt` of the
 * template becomes `resource.ref`/`resource.getAtt()` of the other L1 (across nested stacks too, so aws-cdk-lib
 * creates the nested-stack parameters itself; a lazy one when the other L1 comes later in the construct tree),
 * and every `Fn::Join` with an empty delimiter (dashboard bodies, ARNs) becomes a string with tokens in it, as an
 * L2 would have built it. Types without a class (`Custom::*` custom resources: `Custom::AWS`,
 * `Custom::CostAllocationTagActivation`) stay generic `CfnResource`s. Synthesizing it does the same prop
 * validation and conversion, tree.json metadata (typed L1s report their props), token resolution, reference
 * wiring and nested-stack asset work as ours; `verifyIdentical()` checks the templates are byte-identical and the
 * assembly holds the same files.
 *
 * Not reproduced: file assets (Lambda code is referenced by the same S3 key but not staged), which makes the
 * baseline a little cheaper than a real hand-written L1 app; walking the plan to build the props (instead of
 * literals in code) and the lazy forward references make it a little dearer.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnDeletionPolicy, CfnElement, CfnOutput, CfnParameter, CfnResource, CfnRule, Lazy, NestedStack, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnParser } from 'aws-cdk-lib/core/lib/helpers-internal';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';

type Op =
  | { readonly kind: 'construct'; readonly parent: number; readonly id: string }
  | { readonly kind: 'stack'; readonly parent: number; readonly id: string; readonly stack: number; readonly env?: { account: string; region: string }; readonly description?: string }
  | { readonly kind: 'nested'; readonly parent: number; readonly id: string; readonly stack: number; readonly description?: string; readonly parentStack: number; readonly logicalId: string; readonly suppressTemplateIndentation: boolean }
  | {
    readonly kind: 'resource';
    readonly parent: number;
    readonly id: string;
    readonly stack: number;
    readonly logicalId: string;
    /** The template's resource: its options, and its properties when there is no typed class. */
    readonly body: any;
    /** The typed L1 class, when aws-cdk-lib has one for the type. */
    readonly l1?: L1Ref;
    /** Its camelCase props, with a marker (`MARK`) where a token goes. */
    readonly props?: any;
    /** Template properties the typed class does not know (`addPropertyOverride`), with markers. */
    readonly overrides?: Record<string, any>;
  }
  | { readonly kind: 'output'; readonly parent: number; readonly id: string; readonly stack: number; readonly body: any };

interface StackPlan {
  readonly template: any;
  /** For a nested stack: its parent stack's index and its resource's logical id there. */
  readonly parent?: { readonly stack: number; readonly logicalId: string };
  /** Template file, relative to the assembly directory. */
  readonly file: string;
}

/** What `buildBaseline` needs: the ops in construct-tree order and the templates. */
export interface BaselinePlan {
  readonly ops: Op[];
  readonly stacks: StackPlan[];
  /** Which resource types the baseline builds with which class, how many, and which stay generic `CfnResource`s. */
  readonly classes: { readonly typed: Record<string, { l1: string; count: number }>; readonly generic: Record<string, number> };
}

/** A typed L1 class of aws-cdk-lib: its module and export name (the plan is JSON, for the RSS children). */
interface L1Ref {
  readonly module: string;
  readonly name: string;
}

/** Key of a token marker in plan props: `{ [MARK]: 's' | 'n' | 'l' | 'r', cfn }` (string, number, list, IResolvable). */
const MARK = '$fairBaselineToken';

const classCache = new Map<string, any>();

/** aws-cdk-lib modules by name: which ones the plan needs is only known once it is compiled. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = (id: string): any => require(id);

/** The class an `L1Ref` names (modules are loaded once; `loadBaselineClasses` does it before anything is timed). */
function l1Class(ref: L1Ref): any {
  const key = `${ref.module}#${ref.name}`;
  let cls = classCache.get(key);
  if (!cls) {
    cls = load(ref.module)[ref.name];
    if (typeof cls !== 'function') {
      throw new Error(`${key} is not a class`);
    }
    classCache.set(key, cls);
  }
  return cls;
}

/** Load the typed classes a plan uses, so that module loading is not part of a timed build. */
export function loadBaselineClasses(plan: BaselinePlan): void {
  for (const op of plan.ops) {
    if (op.kind === 'resource' && op.l1) {
      l1Class(op.l1);
    }
  }
}

let serviceModules: string[] | undefined;

/**
 * The typed L1 class of aws-cdk-lib whose static `CFN_RESOURCE_TYPE_NAME` is `type`: the service module the type's
 * name suggests first (AWS::IAM::Role -> aws-cdk-lib/aws-iam), then every other service module. Undefined for types
 * without one (`Custom::*` and the like), which stay generic `CfnResource`s.
 */
function findL1(type: string): L1Ref | undefined {
  if (!type.startsWith('AWS::') && !type.startsWith('Alexa::')) {
    return undefined; // Custom::* (custom resources): no class can have such a type name
  }
  if (!serviceModules) {
    const exportsMap = load('aws-cdk-lib/package.json').exports as Record<string, unknown>;
    serviceModules = Object.keys(exportsMap)
      .filter((k) => /^\.\/(aws-[a-z0-9-]+|alexa-ask)$/.test(k))
      .map((k) => `aws-cdk-lib/${k.slice(2)}`);
  }
  const guess = `aws-cdk-lib/aws-${type.split('::')[1].toLowerCase()}`;
  for (const module of [guess, ...serviceModules.filter((m) => m !== guess)]) {
    if (!serviceModules.includes(module)) {
      continue;
    }
    const exported = load(module);
    for (const name of Object.keys(exported)) {
      if (name.startsWith('Cfn') && exported[name]?.CFN_RESOURCE_TYPE_NAME === type) {
        return { module, name };
      }
    }
  }
  return undefined;
}

const SKIPPED_IDS = new Set(['CDKMetadata']);

/** Compile the plan from a synthesized app (its construct tree) and its assembly (its templates). */
export function compileBaseline(app: App, assembly: CloudAssembly): BaselinePlan {
  const ops: Op[] = [];
  const stacks: StackPlan[] = [];
  const stackIndex = new Map<Stack, number>();
  const helperScopes = new Set<IConstruct>();
  for (const c of app.node.findAll()) {
    if (c instanceof NestedStack && c.nestedStackResource) {
      helperScopes.add(c.nestedStackResource.node.scope!);
    }
  }
  const readTemplate = (s: Stack) => JSON.parse(fs.readFileSync(path.join(assembly.directory, s.templateFile), 'utf8'));
  const visit = (c: IConstruct, parent: number): void => {
    const id = c.node.id;
    if (helperScopes.has(c) || SKIPPED_IDS.has(id) || c instanceof CfnParameter || c instanceof CfnRule) {
      return; // created by aws-cdk-lib itself (nested-stack resources and parameters, bootstrap checks)
    }
    if (parent < 0 && id === 'Tree' && !(c instanceof Stack)) {
      // the app's tree.json writer, added by the synthesis of our app: a plain construct in its place would stop
      // the baseline's own from being created (and its tree.json from being written)
      return;
    }
    let index: number;
    if (c instanceof NestedStack) {
      const parentStack = stackIndex.get(c.nestedStackParent!)!;
      const template = readTemplate(c);
      const logicalId = c.nestedStackParent!.getLogicalId(c.nestedStackResource as CfnElement);
      stackIndex.set(c, stacks.length);
      stacks.push({ template, file: c.templateFile, parent: { stack: parentStack, logicalId } });
      // a hand-written app passes the same NestedStack prop: compact JSON when our nested template is compact
      const suppressTemplateIndentation = (c as any)._suppressTemplateIndentation === true;
      index = ops.push({ kind: 'nested', parent, id, stack: stackIndex.get(c)!, description: template.Description, parentStack, logicalId, suppressTemplateIndentation }) - 1;
    } else if (c instanceof Stack) {
      const template = readTemplate(c);
      stackIndex.set(c, stacks.length);
      stacks.push({ template, file: c.templateFile });
      const env = Token.isUnresolved(c.account) || Token.isUnresolved(c.region) ? undefined : { account: c.account, region: c.region };
      index = ops.push({ kind: 'stack', parent, id, stack: stackIndex.get(c)!, env, description: template.Description }) - 1;
    } else if (c instanceof CfnResource) {
      const stack = Stack.of(c);
      const logicalId = stack.getLogicalId(c);
      const body = stacks[stackIndex.get(stack)!].template.Resources?.[logicalId];
      if (!body) {
        return; // not rendered (e.g. a condition-less resource that does not synthesize)
      }
      index = ops.push({ kind: 'resource', parent, id, stack: stackIndex.get(stack)!, logicalId, body }) - 1;
    } else if (c instanceof CfnOutput) {
      const stack = Stack.of(c);
      const body = stacks[stackIndex.get(stack)!].template.Outputs?.[stack.getLogicalId(c)];
      index = ops.push({ kind: 'output', parent, id, stack: stackIndex.get(stack)!, body }) - 1;
    } else {
      index = ops.push({ kind: 'construct', parent, id }) - 1;
    }
    for (const child of c.node.children) {
      visit(child, index);
    }
  };
  for (const child of app.node.children) {
    visit(child, -1);
  }
  for (const s of stacks) {
    if (s.template.Conditions) {
      throw new Error(`${s.file}: CloudFormation conditions are not reproduced by the baseline`);
    }
  }
  const classes: BaselinePlan['classes'] = { typed: {}, generic: {} };
  return { ops: typedResources(ops, stacks, classes), stacks, classes };
}

/**
 * Turn every resource whose type has a typed L1 class into that class's camelCase props. aws-cdk-lib's own
 * template importer does the conversion (the classes' internal `_fromCloudFormation`, used by
 * cloudformation-include): it runs in a scratch app whose stand-in elements take the place of the other resources
 * and parameters, so each Ref/GetAtt/Fn::Join in the props comes out as a token of the scratch stack. Each token
 * is stored as a marker with the CloudFormation it resolves to and the kind of value it was (string, number, list,
 * object), which `buildBaseline` turns into the real token of the real L1. Not timed: this is plan compilation.
 */
function typedResources(ops: Op[], stacks: StackPlan[], classes: BaselinePlan['classes']): Op[] {
  const scratch = new App();
  const found = new Map<string, L1Ref | undefined>();
  const contexts = stacks.map((s, i) => {
    const stack = new Stack(scratch, `Scratch${i}`);
    const standIns = new Map<string, CfnElement>();
    const standIn = (name: string, resourceOnly: boolean): any => {
      let element = standIns.get(name);
      if (!element) {
        if (s.template.Resources?.[name]) {
          element = new CfnResource(stack, `StandIn${name}`, { type: 'StandIn::Resource' });
        } else if (s.template.Parameters?.[name]) {
          element = new CfnParameter(stack, `StandIn${name}`, { type: 'String' });
        } else {
          return undefined;
        }
        element.overrideLogicalId(name);
        standIns.set(name, element);
      }
      return resourceOnly && !(element instanceof CfnResource) ? undefined : element;
    };
    const parser = new CfnParser({
      finder: {
        findCondition: () => undefined,
        findMapping: () => undefined,
        findRefTarget: (name: string) => standIn(name, false),
        findResource: (name: string) => standIn(name, true),
      },
      parameters: {},
    });
    return { stack, parser, holder: new Construct(stack, 'Typed') };
  });

  return ops.map((op, n): Op => {
    if (op.kind !== 'resource') {
      return op;
    }
    const type: string = op.body.Type;
    if (op.body.Condition) {
      throw new Error(`${op.logicalId}: resource conditions are not reproduced by the baseline`);
    }
    if (!found.has(type)) {
      found.set(type, findL1(type));
    }
    const l1 = found.get(type);
    if (!l1) {
      classes.generic[type] = (classes.generic[type] ?? 0) + 1;
      return op;
    }
    const { stack, parser, holder } = contexts[op.stack];
    const encode = (value: any): any => {
      if (value === undefined || value === null || typeof value === 'boolean') {
        return value;
      }
      if (typeof value === 'string') {
        return Token.isUnresolved(value) ? { [MARK]: 's', cfn: stack.resolve(value) } : value;
      }
      if (typeof value === 'number') {
        return Token.isUnresolved(value) ? { [MARK]: 'n', cfn: stack.resolve(value) } : value;
      }
      if (Array.isArray(value)) {
        return Token.isUnresolved(value) ? { [MARK]: 'l', cfn: stack.resolve(value) } : value.map(encode);
      }
      if (Tokenization.isResolvable(value)) {
        return { [MARK]: 'r', cfn: stack.resolve(value) };
      }
      if (typeof value !== 'object' || value instanceof Date || MARK in value) {
        throw new Error(`${op.logicalId}: cannot carry ${String(value)} in the plan`);
      }
      const out: Record<string, any> = {};
      for (const key of Object.keys(value)) {
        out[key] = encode(value[key]);
      }
      return out;
    };
    const typed = l1Class(l1)._fromCloudFormation(holder, `R${n}`, { Type: type, Properties: op.body.Properties }, { parser });
    const props: Record<string, any> = {};
    for (const [key, value] of Object.entries<any>(typed.cfnProperties)) {
      // a tagged L1 renders its TagManager here: the props it was given are `tagsRaw`
      const prop = key === 'tags' && 'tagsRaw' in typed ? typed.tagsRaw : value;
      if (prop !== undefined) {
        props[key] = encode(prop);
      }
    }
    const { Properties: extra, ...otherOverrides } = typed.rawOverrides ?? {};
    if (Object.keys(otherOverrides).length > 0) {
      throw new Error(`${op.logicalId}: unexpected overrides ${JSON.stringify(Object.keys(otherOverrides))}`);
    }
    let overrides: Record<string, any> | undefined;
    if (extra && Object.keys(extra).length > 0) {
      overrides = {};
      for (const key of Object.keys(extra)) {
        overrides[key] = encode(extra[key]);
      }
    }
    const { Properties: _properties, ...options } = op.body;
    const entry = classes.typed[type] ?? (classes.typed[type] = { l1: `${l1.module}.${l1.name}`, count: 0 });
    entry.count++;
    return { ...op, body: options, l1, props, overrides };
  });
}

/** Build the baseline app from a plan (construction only: call `app.synth()` to synthesize it). */
export function buildBaseline(plan: BaselinePlan, outdir: string, options: { readonly creationStackTraces?: boolean } = {}): App {
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    // aws-cdk-lib's default (a creation stack trace per resource) unless told otherwise
    context: options.creationStackTraces === undefined ? {} : { 'aws:cdk:disable-creation-stack-traces': !options.creationStackTraces },
  });
  const nodes: Construct[] = [];
  const resources: Array<Map<string, CfnResource>> = plan.stacks.map(() => new Map());
  const nestedByLogicalId: Array<Map<string, number>> = plan.stacks.map(() => new Map());
  const created: Array<{ op: Op & { kind: 'resource' }; resource: CfnResource }> = [];
  const outputs: Array<{ op: Op & { kind: 'output' }; scope: Construct }> = [];

  /** A template value with real tokens: Ref/GetAtt of the other L1 (a lazy one while it does not exist yet). */
  const decode = (value: any, stack: number): any => {
    if (Array.isArray(value)) {
      return value.map((v) => decode(v, stack));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const key = keys[0];
      const arg = value[key];
      if (key === 'Ref' && typeof arg === 'string') {
        const target = resources[stack].get(arg);
        if (target) {
          return target.ref;
        }
        if (plan.stacks[stack].template.Resources?.[arg]) {
          // declared further down the construct tree, as a hand-written app would have to do it too
          return Lazy.string({ produce: () => resources[stack].get(arg)!.ref });
        }
        const nested = plan.stacks[stack].parent;
        const passed = nested && plan.stacks[nested.stack].template.Resources[nested.logicalId].Properties.Parameters?.[arg];
        return passed !== undefined ? decode(passed, nested!.stack) : value; // AWS:: pseudo parameters stay as they are
      }
      if (key === 'Fn::GetAtt' && Array.isArray(arg)) {
        const [logicalId, attribute] = arg as [string, string];
        const child = nestedByLogicalId[stack].get(logicalId);
        if (child !== undefined && attribute.startsWith('Outputs.')) {
          return decode(plan.stacks[child].template.Outputs[attribute.slice('Outputs.'.length)].Value, child);
        }
        const target = resources[stack].get(logicalId);
        if (target) {
          return target.getAtt(attribute);
        }
        if (plan.stacks[stack].template.Resources?.[logicalId]) {
          return Lazy.any({ produce: () => resources[stack].get(logicalId)!.getAtt(attribute) });
        }
        return value;
      }
      if (key === 'Fn::Join' && Array.isArray(arg) && arg[0] === '') {
        return (arg[1] as any[]).map((part) => typeof part === 'string' ? part : Token.asString(decode(part, stack))).join('');
      }
    }
    const out: Record<string, any> = {};
    for (const k of keys) {
      out[k] = decode(value[k], stack);
    }
    return out;
  };

  /** Typed props from the plan: each marker becomes the real token, of the kind the prop had (string, number, list, object). */
  const restore = (value: any, stack: number): any => {
    if (Array.isArray(value)) {
      return value.map((v) => restore(v, stack));
    }
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const kind = value[MARK];
    if (kind !== undefined) {
      const token = decode(value.cfn, stack);
      switch (kind) {
        case 's': return Token.asString(token);
        case 'n': return Token.asNumber(token);
        case 'l': return Token.asList(token);
        default: return Token.asAny(token);
      }
    }
    const out: Record<string, any> = {};
    for (const k of Object.keys(value)) {
      out[k] = restore(value[k], stack);
    }
    return out;
  };

  for (const op of plan.ops) {
    const parent = op.parent < 0 ? app : nodes[op.parent];
    switch (op.kind) {
      case 'construct':
        nodes.push(new Construct(parent, op.id));
        break;
      case 'stack':
        nodes.push(new Stack(parent, op.id, { env: op.env, description: op.description }));
        break;
      case 'nested': {
        const nested = new NestedStack(parent, op.id, { description: op.description, suppressTemplateIndentation: op.suppressTemplateIndentation });
        resources[op.parentStack].set(op.logicalId, nested.nestedStackResource!);
        nestedByLogicalId[op.parentStack].set(op.logicalId, op.stack);
        nodes.push(nested);
        break;
      }
      case 'resource': {
        let resource: CfnResource;
        if (op.l1) {
          // what a hand-written app does: new CfnXxx(scope, id, props)
          const L1 = l1Class(op.l1);
          resource = new L1(parent, op.id, restore(op.props, op.stack));
          for (const [key, value] of Object.entries(op.overrides ?? {})) {
            resource.addPropertyOverride(key, restore(value, op.stack));
          }
        } else {
          resource = new CfnResource(parent, op.id, { type: op.body.Type, properties: decode(op.body.Properties ?? {}, op.stack) });
        }
        resources[op.stack].set(op.logicalId, resource);
        created.push({ op, resource });
        nodes.push(resource);
        break;
      }
      case 'output':
        // outputs reference resources that may come later: created once every resource exists
        outputs.push({ op, scope: parent });
        nodes.push(undefined as any);
        break;
    }
  }

  for (const { op, resource } of created) {
    const body = op.body;
    if (body.DeletionPolicy) resource.cfnOptions.deletionPolicy = body.DeletionPolicy as CfnDeletionPolicy;
    if (body.UpdateReplacePolicy) resource.cfnOptions.updateReplacePolicy = body.UpdateReplacePolicy as CfnDeletionPolicy;
    if (body.Metadata) resource.cfnOptions.metadata = body.Metadata;
    if (body.UpdatePolicy) resource.cfnOptions.updatePolicy = body.UpdatePolicy;
    if (body.CreationPolicy) resource.cfnOptions.creationPolicy = body.CreationPolicy;
    for (const dep of [].concat(body.DependsOn ?? [])) {
      const target = resources[op.stack].get(dep);
      if (target) resource.addResourceDependency(target);
    }
  }
  for (const { op, scope } of outputs) {
    new CfnOutput(scope, op.id, {
      value: Token.asString(decode(op.body.Value, op.stack)),
      description: op.body.Description,
      exportName: op.body.Export?.Name,
    });
  }
  return app;
}

/**
 * Compare every template of the two assemblies byte for byte (both written with the same paths).
 * Returns the differences, empty when identical.
 */
export function verifyIdentical(plan: BaselinePlan, ours: string, baseline: string): string[] {
  const problems: string[] = [];
  // the same assembly files too (tree.json, manifests), except the staged file assets the baseline does not copy
  const files = (dir: string) => fs.readdirSync(dir).filter((f) => !f.startsWith('asset.')).sort().join(', ');
  if (files(ours) !== files(baseline)) {
    problems.push(`assembly files differ: ours ${files(ours)}; baseline ${files(baseline)}`);
  }
  for (const s of plan.stacks) {
    const a = fs.readFileSync(path.join(ours, s.file), 'utf8');
    const bFile = path.join(baseline, s.file);
    if (!fs.existsSync(bFile)) {
      problems.push(`${s.file}: missing from the baseline`);
      continue;
    }
    const b = fs.readFileSync(bFile, 'utf8');
    if (a !== b) {
      let i = 0;
      while (i < a.length && a[i] === b[i]) i++;
      problems.push(`${s.file}: differs at byte ${i}: ours ...${JSON.stringify(a.slice(Math.max(0, i - 120), i + 120))}... baseline ...${JSON.stringify(b.slice(Math.max(0, i - 120), i + 120))}...`);
    }
  }
  return problems;
}
