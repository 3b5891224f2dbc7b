/**
 * Test helpers of the logging area: read the SDK calls of the Custom::AWS resource back as JSON, and
 * evaluate resource policies (bucket, key, trust) for a service principal with the IAM simulator.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, REGION, resolveIntrinsics } from '../helpers/cfn';

/** The one Custom::AWS resource of a template. */
export function settingResource(template: any): [string, any] {
  const found = Object.entries<any>(template.Resources).filter(([, r]) => r.Type === 'Custom::AWS');
  if (found.length !== 1) {
    throw new Error(`expected one Custom::AWS resource, found ${found.length}`);
  }
  return found[0] as [string, any];
}

/** The Create, Update or Delete SDK call of the Custom::AWS resource, intrinsics resolved and JSON parsed. */
export function sdkCall(template: any, event: 'Create' | 'Update' | 'Delete'): any {
  const [, resource] = settingResource(template);
  const raw = resource.Properties[event];
  if (raw === undefined) {
    return undefined;
  }
  return JSON.parse(resolveIntrinsics(raw, template));
}

/** The logical id of the only resource of a type. */
export function onlyLogicalId(template: any, type: string): string {
  const ids = Object.keys(template.Resources).filter((id) => template.Resources[id].Type === type);
  if (ids.length !== 1) {
    throw new Error(`expected one ${type}, found ${ids.length}: ${ids.join(', ')}`);
  }
  return ids[0];
}

/** Context a service sends when it acts for a resource of this account and Region. */
export function serviceContext(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'aws:SourceAccount': ACCOUNT,
    'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-logging`,
    'aws:SecureTransport': 'true',
    ...overrides,
  };
}

export interface ResourcePolicyRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string>;
}

/** Evaluate one request against a resource policy only (Strict mode); returns the decision and ignored keys. */
export async function simulateResourcePolicy(policy: any, request: ResourcePolicyRequest): Promise<{ decision: string; ignored: string[] }> {
  const result: any = await runSimulation({
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: policy,
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: request.context,
    },
  } as any, { simulationMode: 'Strict' });
  if (result.resultType !== 'single') {
    throw new Error(`simulation error: ${JSON.stringify(result.errors ?? result)}`);
  }
  return { decision: result.overallResult, ignored: result.result.ignoredContextKeys ?? [] };
}
