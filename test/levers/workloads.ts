/**
 * The worked examples of the README's spend-lever tables, shared by the test and the script that renders
 * the tables (scripts/render-lever-tables.ts).
 */
import { BedrockModel, WorkloadEstimateInput } from '../../src';

/**
 * The playbook's document-QA example (shared/playbooks/bedrock-bill-trap.txt): 1,000 queries a day over
 * 10 documents of 20,000 tokens on Claude Sonnet 4.5; each document is written to the cache once a day and
 * read by its other 99 queries (990 of 1,000 requests read: hit ratio 0.99). Output tokens are left out,
 * as in the playbook, so the figures are the input side only.
 */
export const PLAYBOOK_DOCUMENT_QA: WorkloadEstimateInput = {
  model: BedrockModel.CLAUDE_SONNET_4_5,
  requestsPerDay: 1000,
  inputTokensPerRequest: 20000,
  outputTokensPerRequest: 0,
  cacheablePrefixTokens: 20000,
  cacheHitRatio: 0.99,
};

/** The same workload with half the questions answerable by Claude Haiku 4.5 and 30% not needing an immediate answer. */
export const PLAYBOOK_ALL_LEVERS: WorkloadEstimateInput = {
  ...PLAYBOOK_DOCUMENT_QA,
  ladderModel: BedrockModel.CLAUDE_HAIKU_4_5,
  ladderShare: 0.5,
  batchShare: 0.3,
};

/** The workloads of the README table, in order. */
export const README_WORKLOADS: Array<[string, WorkloadEstimateInput]> = [
  ['Document QA, caching only (the playbook example)', PLAYBOOK_DOCUMENT_QA],
  ['Document QA, 50% laddered to Haiku 4.5, 30% batch', PLAYBOOK_ALL_LEVERS],
];
