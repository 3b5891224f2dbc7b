/**
 * Evaluate synthesized IAM policies with a real policy evaluator (@cloud-copilot/iam-simulate,
 * Strict mode), never by string matching.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT, AttributeResolver, defaultAttributes, resolveIntrinsics } from './cfn';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface NamedPolicy {
  readonly name: string;
  readonly policy: any;
}

/** Every policy a role's permissions come from, resolved to concrete JSON. */
export interface RolePolicies {
  readonly identityPolicies: NamedPolicy[];
  readonly permissionBoundaries?: NamedPolicy[];
}

function refersTo(list: any, logicalId: string): boolean {
  return Array.isArray(list) && list.some((entry) => entry?.Ref === logicalId);
}

/**
 * Collect (and resolve) the identity policies and the permissions boundary of a role or an IAM user in a
 * template (a user's groups are not followed).
 */
export function policiesOfRole(template: any, roleLogicalId: string, attrs: AttributeResolver = defaultAttributes()): RolePolicies {
  const resources = template.Resources ?? {};
  const role = resources[roleLogicalId];
  if (!role || (role.Type !== 'AWS::IAM::Role' && role.Type !== 'AWS::IAM::User')) {
    throw new Error(`${roleLogicalId} is not a role or user of the template`);
  }
  const listKey = role.Type === 'AWS::IAM::Role' ? 'Roles' : 'Users';
  const identityPolicies: NamedPolicy[] = [];
  for (const [i, inline] of (role.Properties?.Policies ?? []).entries()) {
    identityPolicies.push({ name: `${roleLogicalId}-inline-${i}`, policy: resolveIntrinsics(inline.PolicyDocument, template, attrs) });
  }
  const attached = new Set<string>();
  for (const arn of role.Properties?.ManagedPolicyArns ?? []) {
    if (arn?.Ref && resources[arn.Ref]?.Type === 'AWS::IAM::ManagedPolicy') {
      attached.add(arn.Ref);
    } else {
      const resolved = resolveIntrinsics(arn, template, attrs);
      if (resolved === 'arn:aws:iam::aws:policy/AdministratorAccess') {
        identityPolicies.push({ name: 'AdministratorAccess', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } });
      } else {
        throw new Error(`unmodelled managed policy ${resolved} on ${roleLogicalId}`);
      }
    }
  }
  for (const [id, resource] of Object.entries<any>(resources)) {
    if (resource.Type === 'AWS::IAM::Policy' && refersTo(resource.Properties?.[listKey], roleLogicalId)) {
      identityPolicies.push({ name: id, policy: resolveIntrinsics(resource.Properties.PolicyDocument, template, attrs) });
    }
    if (resource.Type === 'AWS::IAM::ManagedPolicy' && (refersTo(resource.Properties?.[listKey], roleLogicalId) || attached.has(id))) {
      identityPolicies.push({ name: id, policy: resolveIntrinsics(resource.Properties.PolicyDocument, template, attrs) });
    }
  }
  let permissionBoundaries: NamedPolicy[] | undefined;
  const boundary = role.Properties?.PermissionsBoundary;
  if (boundary) {
    const id = boundary.Ref;
    if (!id || resources[id]?.Type !== 'AWS::IAM::ManagedPolicy') {
      throw new Error(`unmodelled permissions boundary on ${roleLogicalId}`);
    }
    permissionBoundaries = [{ name: id, policy: resolveIntrinsics(resources[id].Properties.PolicyDocument, template, attrs) }];
  }
  return { identityPolicies, permissionBoundaries };
}

export interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  readonly principal?: string;
}

export interface SimulationResult {
  readonly decision: Decision;
  readonly ignoredContextKeys: string[];
}

/** Evaluate one request against a role's policies (and optional SCPs) in Strict mode. */
export async function simulate(policies: RolePolicies, request: Request, scps: NamedPolicy[] = []): Promise<SimulationResult> {
  const result = await runSimulation({
    identityPolicies: policies.identityPolicies,
    permissionBoundaryPolicies: policies.permissionBoundaries,
    serviceControlPolicies: scps.length > 0 ? [{ orgIdentifier: 'o-exampleorgid', policies: scps }] : [],
    resourceControlPolicies: [],
    request: {
      principal: request.principal ?? `arn:aws:iam::${ACCOUNT}:role/test-principal`,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: request.context ?? {},
    },
  }, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new Error(`simulation error for ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  }
  const ignored = result.resultType === 'single'
    ? (result.result.ignoredContextKeys ?? [])
    : result.results.flatMap((r) => r.ignoredContextKeys ?? []);
  return { decision: result.overallResult as Decision, ignoredContextKeys: ignored };
}
