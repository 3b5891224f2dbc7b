import { CfnResource, Stack, TagManager } from 'aws-cdk-lib';

/**
 * Read a property of a resolved CloudFormation value whatever its casing: L1 props resolve in
 * camelCase (`filterExpression`), raw JSON and escape hatches in PascalCase (`FilterExpression`).
 */
export function prop(value: unknown, name: string): any {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (name in record) {
    return record[name];
  }
  const lower = name.toLowerCase();
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

/** A value as a list (IAM allows a single value where a list is expected). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** Whether a resolved value is a CloudFormation intrinsic (`{ Ref }`, `{ Fn::... }`). */
export function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return false;
  }
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/**
 * Render a resolved value for a finding id the way cdk-nag's own rules do: `Ref` as `<Name>`,
 * `Fn::GetAtt` as `<Name.Attribute>`, `Fn::Join` joined, `${X}` of `Fn::Sub` as `<X>`.
 */
export function flattenReference(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value === 'string') {
    return value.replace(/\$\{/g, '<').replace(/\}/g, '>');
  }
  if (isIntrinsic(value)) {
    const [key] = Object.keys(value as object);
    const arg = (value as Record<string, any>)[key];
    switch (key) {
      case 'Ref':
        return `<${flattenReference(arg)}>`;
      case 'Fn::GetAtt': {
        const [resource, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        return `<${flattenReference(resource)}.${flattenReference(attribute)}>`;
      }
      case 'Fn::Join':
        if (Array.isArray(arg) && Array.isArray(arg[1])) {
          return arg[1].map(flattenReference).join(String(arg[0]));
        }
        break;
      case 'Fn::Sub':
        return flattenReference(Array.isArray(arg) ? arg[0] : arg);
      case 'Fn::ImportValue':
        return flattenReference(arg);
      default:
        break;
    }
  }
  return JSON.stringify(value);
}

/** One tag as it will be deployed; `value` is undefined when it is a token. */
export interface RenderedTag {
  readonly key: string;
  readonly value: unknown;
}

/**
 * The tags a resource will be deployed with: its own tags plus those applied with `Tags.of()`
 * (visible once the app's aspects ran, i.e. during synthesis and in `validateScope` after `synth()`).
 *
 * @throws when a tag key is a token
 */
export function renderedTags(node: CfnResource): RenderedTag[] {
  const manager = TagManager.of(node);
  if (manager === undefined) {
    return [];
  }
  const raw = TagManager.isTaggableV2(node) ? manager.renderTags((node as any).tags) : manager.renderTags();
  const resolved = Stack.of(node).resolve(raw);
  const tags: RenderedTag[] = [];
  if (Array.isArray(resolved)) {
    for (const entry of resolved) {
      tags.push(tagOf(node, prop(entry, 'key'), prop(entry, 'value')));
    }
  } else if (resolved !== null && typeof resolved === 'object') {
    for (const [key, value] of Object.entries(resolved)) {
      tags.push(tagOf(node, key, value));
    }
  }
  return tags;
}

function tagOf(node: CfnResource, key: unknown, value: unknown): RenderedTag {
  if (typeof key !== 'string') {
    throw new Error(`${node.node.path}: a tag key is not a literal string (${JSON.stringify(key)}), so the tags cannot be checked`);
  }
  return { key, value };
}

/** The value of a tag, compared by exact key. */
export function tagValue(tags: RenderedTag[], key: string): unknown {
  return tags.find((t) => t.key === key)?.value;
}
