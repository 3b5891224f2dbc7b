import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnKnowledgeBase } from 'aws-cdk-lib/aws-bedrock';
import { NagRuleCompliance, NagRuleResult, NagRules } from 'cdk-nag';
import { NagRuleContext } from '../private/app-index';
import { prop } from '../private/values';

/** The storage type that this rule flags. */
const OPENSEARCH_SERVERLESS = 'OPENSEARCH_SERVERLESS';

/**
 * Knowledge bases do not store their vectors in OpenSearch Serverless (S3 Vectors costs roughly
 * 90% less where its higher query latency is acceptable).
 * @param node the CfnResource to check
 * @param _context the app index and pack settings (unused)
 */
export function BedrockKnowledgeBaseOpenSearchServerless(node: CfnResource, _context: NagRuleContext): NagRuleResult {
  if (!(node instanceof CfnKnowledgeBase)) {
    return NagRuleCompliance.NOT_APPLICABLE;
  }
  const storage = Stack.of(node).resolve(node.storageConfiguration);
  const type = NagRules.resolveIfPrimitive(node, prop(storage, 'type'));
  if (typeof type !== 'string') {
    throw new Error(`${node.node.path}: StorageConfiguration.Type is not a literal string, so it cannot be checked`);
  }
  return type === OPENSEARCH_SERVERLESS ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
}
