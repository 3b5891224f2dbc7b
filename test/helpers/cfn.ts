/**
 * Test helpers: synthesize apps without leaving cdk.out folders behind, and resolve the
 * CloudFormation intrinsics of a template into concrete values, so that policies can be fed to
 * the IAM simulator exactly as AWS would see them after deployment.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps } from 'aws-cdk-lib';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const ENV = { account: ACCOUNT, region: REGION };

const outdirs: string[] = [];

/** A new App writing into a temp folder that `cleanupOutdirs()` removes; CloudFormation validation off unless asked. */
export function testApp(props: AppProps = {}): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-test-'));
  outdirs.push(outdir);
  return new App({ builtinCloudFormationValidation: false, ...props, outdir });
}

/** Remove every outdir made by `testApp()`. */
export function cleanupOutdirs(): void {
  for (const dir of outdirs.splice(0)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The deployed value of a resource attribute, as the tests model it. */
export type AttributeResolver = (logicalId: string, resource: any, attribute: string) => string;

/** Default attribute model: profile ARNs and ids derived from the logical id, everything else `<id>.<attr>`. */
export function defaultAttributes(region = REGION, account = ACCOUNT): AttributeResolver {
  return (logicalId, resource, attribute) => {
    if (resource.Type === 'AWS::Bedrock::ApplicationInferenceProfile') {
      const id = profileIdFor(logicalId);
      if (attribute === 'InferenceProfileArn' || attribute === 'InferenceProfileIdentifier') {
        return `arn:aws:bedrock:${region}:${account}:application-inference-profile/${id}`;
      }
      if (attribute === 'InferenceProfileId') {
        return id;
      }
    }
    if (resource.Type === 'AWS::IAM::Role' && attribute === 'Arn') {
      return `arn:aws:iam::${account}:role/${resource.Properties?.RoleName ?? logicalId}`;
    }
    if (resource.Type === 'AWS::IAM::User' && attribute === 'Arn') {
      return `arn:aws:iam::${account}:user${resource.Properties?.Path ?? '/'}${resource.Properties?.UserName ?? logicalId}`;
    }
    if (resource.Type === 'AWS::IAM::ManagedPolicy' && attribute === 'PolicyArn') {
      return `arn:aws:iam::${account}:policy${resource.Properties?.Path ?? '/'}${resource.Properties?.ManagedPolicyName ?? logicalId}`;
    }
    return `${logicalId}.${attribute}`;
  };
}

/** A 12-character lower-case profile id made from a logical id, stable across runs. */
export function profileIdFor(logicalId: string): string {
  let hash = 0;
  for (const ch of logicalId) {
    hash = (hash * 31 + ch.charCodeAt(0)) % 4294967296;
  }
  return `p${hash.toString(36).padStart(7, '0')}${logicalId.length.toString(36).padStart(4, '0')}`.slice(0, 12).toLowerCase();
}

/**
 * Resolve `Ref`, `Fn::GetAtt`, `Fn::Join`, `Fn::Select`, `Fn::Split` and `Fn::Sub` against a template.
 */
export function resolveIntrinsics(
  value: any, template: any, attrs: AttributeResolver = defaultAttributes(), region = REGION, account = ACCOUNT,
): any {
  const resources = template.Resources ?? {};
  const pseudo: Record<string, string> = {
    'AWS::Partition': 'aws',
    'AWS::Region': region,
    'AWS::AccountId': account,
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': 'TestStack',
  };
  const walk = (v: any): any => {
    if (Array.isArray(v)) {
      return v.map(walk);
    }
    if (v === null || typeof v !== 'object') {
      return v;
    }
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = v[k];
      switch (k) {
        case 'Ref':
          if (pseudo[arg] !== undefined) {
            return pseudo[arg];
          }
          if (resources[arg]?.Type === 'AWS::IAM::Role' || resources[arg]?.Type === 'AWS::IAM::User') {
            return resources[arg].Properties?.RoleName ?? resources[arg].Properties?.UserName ?? arg;
          }
          if (resources[arg]?.Type === 'AWS::IAM::ManagedPolicy') {
            return attrs(arg, resources[arg], 'PolicyArn');
          }
          return arg;
        case 'Fn::GetAtt': {
          const [id, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
          if (!resources[id]) {
            throw new Error(`GetAtt of unknown resource ${id}`);
          }
          return attrs(id, resources[id], attribute);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg;
          return walk(parts).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg;
          return walk(list)[Number(walk(index))];
        }
        case 'Fn::Split': {
          const [sep, str] = arg;
          return String(walk(str)).split(sep);
        }
        case 'Fn::Sub': {
          const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
          return String(text).replace(/\$\{([^}]+)\}/g, (_m, name: string) => {
            if (vars[name] !== undefined) {
              return walk(vars[name]);
            }
            if (pseudo[name] !== undefined) {
              return pseudo[name];
            }
            return name.includes('.') ? walk({ 'Fn::GetAtt': name.split('.') }) : walk({ Ref: name });
          });
        }
        default:
          break;
      }
    }
    const out: any = {};
    for (const key of keys) {
      out[key] = walk(v[key]);
    }
    return out;
  };
  return walk(value);
}
