/**
 * The fair baseline: a hand-written-style L1 app compiled from a synthesized governed app, so that it always
 * produces the same resources.
 *
 * `compileBaseline()` reads the synthesized templates (types, properties, options, references) and the
 * construct tree (ids, order, stacks and nested stacks) once. `buildBaseline()` then builds, from that plan, an
 * app of `CfnResource`s at the same construct paths, in the same stacks and nested stacks, whose properties carry
 * real tokens: every `Ref`/`Fn::GetAtt` of the template becomes `resource.ref`/`resource.getAtt()` of the other
 * L1 (across nested stacks too, so aws-cdk-lib creates the nested-stack parameters itself), and every
 * `Fn::Join` with an empty delimiter (dashboard bodies, ARNs) becomes a string with tokens in it, as an L2 would
 * have built it. Synthesizing it does the same token resolution, reference wiring and nested-stack asset work
 * as ours; `verifyIdentical()` checks the templates are byte-identical.
 *
 * Not reproduced: file assets (Lambda code is referenced by the same S3 key but not staged), and the typed
 * `CfnXxx` classes' property validation (the generic `CfnResource` skips it), both of which make the baseline
 * slightly cheaper than a real hand-written L1 app, i.e. the comparison is stricter on us.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnDeletionPolicy, CfnElement, CfnOutput, CfnParameter, CfnResource, CfnRule, NestedStack, Stack, Token } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';

type Op =
  | { readonly kind: 'construct'; readonly parent: number; readonly id: string }
  | { readonly kind: 'stack'; readonly parent: number; readonly id: string; readonly stack: number; readonly env?: { account: string; region: string }; readonly description?: string }
  | { readonly kind: 'nested'; readonly parent: number; readonly id: string; readonly stack: number; readonly description?: string; readonly parentStack: number; readonly logicalId: string }
  | { readonly kind: 'resource'; readonly parent: number; readonly id: string; readonly stack: number; readonly logicalId: string; readonly body: any }
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
    let index: number;
    if (c instanceof NestedStack) {
      const parentStack = stackIndex.get(c.nestedStackParent!)!;
      const template = readTemplate(c);
      const logicalId = c.nestedStackParent!.getLogicalId(c.nestedStackResource as CfnElement);
      stackIndex.set(c, stacks.length);
      stacks.push({ template, file: c.templateFile, parent: { stack: parentStack, logicalId } });
      index = ops.push({ kind: 'nested', parent, id, stack: stackIndex.get(c)!, description: template.Description, parentStack, logicalId }) - 1;
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
  return { ops, stacks };
}

/** Build the baseline app from a plan (construction only: call `app.synth()` to synthesize it). */
export function buildBaseline(plan: BaselinePlan, outdir: string): App {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const nodes: Construct[] = [];
  const resources: Array<Map<string, CfnResource>> = plan.stacks.map(() => new Map());
  const nestedByLogicalId: Array<Map<string, number>> = plan.stacks.map(() => new Map());
  const filled: Array<{ op: Op & { kind: 'resource' }; resource: CfnResource; properties: Record<string, any> }> = [];
  const outputs: Array<{ op: Op & { kind: 'output' }; scope: Construct }> = [];
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
        const nested = new NestedStack(parent, op.id, { description: op.description });
        resources[op.parentStack].set(op.logicalId, nested.nestedStackResource!);
        nestedByLogicalId[op.parentStack].set(op.logicalId, op.stack);
        nodes.push(nested);
        break;
      }
      case 'resource': {
        const properties: Record<string, any> = {};
        const resource = new CfnResource(parent, op.id, { type: op.body.Type, properties });
        resources[op.stack].set(op.logicalId, resource);
        filled.push({ op, resource, properties });
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
        return target ? target.getAtt(attribute) : value;
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

  for (const { op, resource, properties } of filled) {
    Object.assign(properties, decode(op.body.Properties ?? {}, op.stack));
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
