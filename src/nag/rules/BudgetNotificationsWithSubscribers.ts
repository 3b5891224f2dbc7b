import { CfnResource, Stack, Tokenization } from 'aws-cdk-lib';
import { CfnBudget } from 'aws-cdk-lib/aws-budgets';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { isIntrinsic, prop } from '../private/values';

/**
 * Budgets have at least one notification, and every notification has at least one subscriber.
 * @param node the CfnResource to check
 * @param _context the app index and pack settings (unused)
 */
export function BudgetNotificationsWithSubscribers(node: CfnResource, _context: NagRuleContext): NagRuleResult {
  if (!(node instanceof CfnBudget)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const notifications = literalList(node.notificationsWithSubscribers, (entry) => {
    const subscribers = literalList(prop(entry, 'subscribers'), () => true);
    return subscribers !== undefined || prop(entry, 'subscribers') === undefined;
  }) ?? Stack.of(node).resolve(node.notificationsWithSubscribers);
  if (notifications === undefined) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  if (!Array.isArray(notifications)) {
    throw new Error(`${node.node.path}: NotificationsWithSubscribers is not a literal list, so it cannot be checked`);
  }
  if (notifications.length === 0) {
    return NagRuleCompliance.NON_COMPLIANT;
  }
  for (const entry of notifications) {
    const subscribers = prop(entry, 'subscribers');
    if (entry === null || typeof entry !== 'object' || isIntrinsic(entry) || (subscribers !== undefined && !Array.isArray(subscribers))) {
      throw new Error(`${node.node.path}: a notification or its Subscribers is not a literal value, so it cannot be checked`);
    }
    if (subscribers === undefined || subscribers.length === 0) {
      return NagRuleCompliance.NON_COMPLIANT;
    }
  }
  return NagRuleCompliance.COMPLIANT;
}

/**
 * The list itself when resolving it could not change what the rule reads: an array (not a token) of plain objects
 * (no tokens, which could resolve to nothing and drop out) each passing `entryIsLiteral`. Otherwise undefined, and
 * the rule resolves the value.
 */
function literalList(value: unknown, entryIsLiteral: (entry: object) => boolean): object[] | undefined {
  if (!Array.isArray(value)) {
    return undefined;
  }
  for (const entry of value) {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || Tokenization.isResolvable(entry) || !entryIsLiteral(entry)) {
      return undefined;
    }
  }
  return value;
}
