/**
 * The waste-audit Lambda handler against aws-sdk-client-mock: paginated listings, a fake CloudWatch that answers
 * GetMetricData from a store of series (paginating its answers, leaving some metrics out), throttling that is
 * retried, and the exact report written to S3 and summary sent to SNS.
 *
 * `@aws-sdk/client-bedrock-agent` is not installed in this project (the Lambda runtime provides it), so a virtual
 * module with the same client and command names stands in for it; the handler's lister is exercised through it.
 */
import { BedrockClient, ListInferenceProfilesCommand, ListProvisionedModelThroughputsCommand, ListTagsForResourceCommand } from '@aws-sdk/client-bedrock';
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery, MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import {
  RuntimeKnowledgeBaseLister, WasteAuditConfig, WasteAuditReport, batchMetricQueries, configFromEnv, handler, renderMarkdown, runWasteAudit,
} from '../../src/audit/handlers/waste-audit.lambda';
import { RetryOptions, isRetryable, isThrottling, withRetry } from '../../src/audit/private/retry';

jest.mock('@aws-sdk/client-bedrock-agent', () => {
  class BedrockAgentClient {
    constructor(public readonly config: unknown) {}
    public async send(_command: unknown): Promise<unknown> {
      throw new Error('BedrockAgentClient.send is not mocked');
    }
  }
  class ListKnowledgeBasesCommand {
    constructor(public readonly input: unknown) {}
  }
  return { BedrockAgentClient, ListKnowledgeBasesCommand };
}, { virtual: true });
// eslint-disable-next-line @typescript-eslint/no-require-imports
const agent = require('@aws-sdk/client-bedrock-agent');

const bedrock = mockClient(BedrockClient);
const cloudWatch = mockClient(CloudWatchClient);
const s3 = mockClient(S3Client);
const sns = mockClient(SNSClient);
const kb = mockClient(agent.BedrockAgentClient as typeof BedrockClient);

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const NOW = new Date('2026-11-23T06:00:00Z');
const DAYS_AGO = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const profileArn = (id: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/${id}`;
const ptArn = (id: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT}:provisioned-model/${id}`;
const fm = (id: string) => `arn:aws:bedrock:${REGION}::foundation-model/${id}`;
const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const OPUS = 'anthropic.claude-opus-4-5-20251101-v1:0';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:finops`;

const CONFIG: WasteAuditConfig = {
  account: ACCOUNT,
  region: REGION,
  reportBucket: 'reports-bucket',
  reportPrefix: 'waste-audit/',
  expectedBucketOwner: ACCOUNT,
  topicArn: TOPIC,
  lookbackDays: 30,
  utilizationThreshold: 0.6,
  modelUnitTokensPerMinute: { [SONNET]: 50_000 },
  teamTagKey: 'team',
  interactiveTagKey: 'bedrock-governance:interactive',
};

const sleeps: number[] = [];
const RETRY: RetryOptions = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, sleep: async (ms) => { sleeps.push(ms); }, random: () => 0.5 };

const throttling = (name = 'ThrottlingException') => Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: name === 'Throttling' ? 400 : 429 } });

/** The fake CloudWatch: series by `<metric>|<ModelId>` (or `kb|<id>` for knowledge bases). */
type Series = Record<string, number[]>;

/**
 * Answer GetMetricData like CloudWatch: metric queries from the store, `SUM(SEARCH(...))` over the knowledge-base
 * series the search names; no entry at all for `kb|` ids listed in `missing`; at most `pageSize` results per page.
 */
function fakeCloudWatch(series: Series, options: { pageSize?: number; missing?: string[]; throttleFirst?: boolean } = {}) {
  const requests: MetricDataQuery[][] = [];
  let throttled = !options.throttleFirst;
  cloudWatch.on(GetMetricDataCommand).callsFake((input) => {
    if (!throttled) {
      throttled = true;
      throw throttling('Throttling');
    }
    const queries: MetricDataQuery[] = input.MetricDataQueries;
    if (queries.length > 500 || queries.length * 30 > 100_800) {
      throw Object.assign(new Error('Too many queries'), { name: 'InvalidParameterValue' });
    }
    if (input.StartTime.toISOString() !== '2026-10-24T06:00:00.000Z' || input.EndTime.toISOString() !== '2026-11-23T06:00:00.000Z') {
      throw new Error(`unexpected window ${input.StartTime.toISOString()} - ${input.EndTime.toISOString()}`);
    }
    if (input.NextToken === undefined) {
      requests.push(queries);
    }
    const results: MetricDataResult[] = [];
    for (const q of queries.filter((x) => x.ReturnData !== false)) {
      let key: string;
      if (q.MetricStat) {
        if (q.MetricStat.Period !== 86_400 || q.MetricStat.Metric?.Namespace !== 'AWS/Bedrock' || q.MetricStat.Metric.Dimensions?.[0].Name !== 'ModelId') {
          throw new Error(`unexpected query ${JSON.stringify(q)}`);
        }
        key = `${q.MetricStat.Metric.MetricName}|${q.MetricStat.Metric.Dimensions[0].Value}`;
      } else {
        const inner = queries.find((x) => `SUM(${x.Id})` === q.Expression)!;
        const match = /^SEARCH\('\{AWS\/Bedrock\/KnowledgeBases\} MetricName="Invocations" "([A-Z0-9]+)"', 'Sum', 86400\)$/.exec(inner.Expression ?? '');
        if (!match) {
          throw new Error(`unexpected expression ${inner.Expression}`);
        }
        key = `kb|${match[1]}`;
        if (options.missing?.includes(match[1])) {
          continue;
        }
      }
      const values = series[key] ?? [];
      results.push({ Id: q.Id, Label: key, Values: values, Timestamps: values.map((_, i) => DAYS_AGO(i + 1)), StatusCode: 'Complete' });
    }
    const size = options.pageSize ?? 1_000;
    const offset = input.NextToken === undefined ? 0 : Number(input.NextToken);
    const page = results.slice(offset, offset + size);
    return { MetricDataResults: page, NextToken: offset + size < results.length ? String(offset + size) : undefined, Messages: [] };
  });
  return requests;
}

const TAGS: Record<string, Record<string, string>> = {
  [profileArn('shaiku000001')]: { 'team': 'search', 'cost-center': 'CC-1042' },
  [profileArn('sold00000002')]: { team: 'search' },
  [profileArn('nopus0000003')]: { 'team': 'nightly', 'bedrock-governance:interactive': 'false' },
  [profileArn('pnew00000004')]: { team: 'search' },
  [ptArn('pt1')]: { team: 'search' },
  [ptArn('pt2')]: {},
  [ptArn('pt4')]: { team: 'research' },
};

function fakeInventory(options: { throttleTags?: boolean } = {}) {
  bedrock.on(ListInferenceProfilesCommand).callsFake((input) => {
    if (input.typeEquals !== 'APPLICATION' || input.maxResults !== 1000) {
      throw new Error(`unexpected ListInferenceProfiles ${JSON.stringify(input)}`);
    }
    return input.nextToken === undefined
      ? {
        inferenceProfileSummaries: [
          { inferenceProfileName: 'search-claude-haiku-4-5', inferenceProfileId: 'shaiku000001', inferenceProfileArn: profileArn('shaiku000001'), models: [{ modelArn: fm(HAIKU) }], status: 'ACTIVE', type: 'APPLICATION', createdAt: DAYS_AGO(90), updatedAt: DAYS_AGO(90) },
          { inferenceProfileName: 'search-old', inferenceProfileId: 'sold00000002', inferenceProfileArn: profileArn('sold00000002'), models: [{ modelArn: fm(SONNET) }], status: 'ACTIVE', type: 'APPLICATION', createdAt: DAYS_AGO(120) },
        ],
        nextToken: 'profiles-2',
      }
      : {
        inferenceProfileSummaries: [
          { inferenceProfileName: 'nightly-claude-opus-4-5', inferenceProfileId: 'nopus0000003', inferenceProfileArn: profileArn('nopus0000003'), models: [{ modelArn: fm(OPUS) }], status: 'ACTIVE', type: 'APPLICATION', createdAt: DAYS_AGO(60) },
          { inferenceProfileName: 'search-new', inferenceProfileId: 'pnew00000004', inferenceProfileArn: profileArn('pnew00000004'), models: [{ modelArn: fm(HAIKU) }], status: 'ACTIVE', type: 'APPLICATION', createdAt: DAYS_AGO(3) },
        ],
      };
  });
  bedrock.on(ListProvisionedModelThroughputsCommand).callsFake((input) => (input.nextToken === undefined
    ? {
      provisionedModelSummaries: [
        { provisionedModelName: 'pt-1', provisionedModelArn: ptArn('pt1'), modelArn: fm(SONNET), desiredModelArn: fm(SONNET), foundationModelArn: fm(SONNET), modelUnits: 2, desiredModelUnits: 2, status: 'InService', commitmentDuration: 'OneMonth', commitmentExpirationTime: new Date('2026-12-20T00:00:00Z'), creationTime: DAYS_AGO(60), lastModifiedTime: DAYS_AGO(60) },
      ],
      nextToken: 'pt-page-2',
    }
    : {
      provisionedModelSummaries: [
        { provisionedModelName: 'pt-2', provisionedModelArn: ptArn('pt2'), modelArn: fm(HAIKU), desiredModelArn: fm(HAIKU), foundationModelArn: fm(HAIKU), modelUnits: 1, desiredModelUnits: 1, status: 'InService', creationTime: DAYS_AGO(200), lastModifiedTime: DAYS_AGO(200) },
        { provisionedModelName: 'pt-3', provisionedModelArn: ptArn('pt3'), modelArn: fm(HAIKU), desiredModelArn: fm(HAIKU), foundationModelArn: fm(HAIKU), modelUnits: 1, desiredModelUnits: 1, status: 'Creating', creationTime: DAYS_AGO(0), lastModifiedTime: DAYS_AGO(0) },
        { provisionedModelName: 'pt-4', provisionedModelArn: ptArn('pt4'), modelArn: fm(OPUS), desiredModelArn: fm(OPUS), foundationModelArn: fm(OPUS), modelUnits: 1, desiredModelUnits: 1, status: 'InService', commitmentDuration: 'SixMonths', commitmentExpirationTime: new Date('2027-03-01T00:00:00Z'), creationTime: DAYS_AGO(100), lastModifiedTime: DAYS_AGO(100) },
      ],
    }));
  let throttledOnce = !options.throttleTags;
  bedrock.on(ListTagsForResourceCommand).callsFake((input) => {
    if (!throttledOnce && input.resourceARN === profileArn('nopus0000003')) {
      throttledOnce = true;
      throw throttling();
    }
    const tags = TAGS[input.resourceARN];
    if (!tags) {
      throw Object.assign(new Error(`no such resource ${input.resourceARN}`), { name: 'ResourceNotFoundException' });
    }
    return { tags: Object.entries(tags).map(([key, value]) => ({ key, value })) };
  });
  kb.on(agent.ListKnowledgeBasesCommand).callsFake((input: any) => (input.nextToken === undefined
    ? { knowledgeBaseSummaries: [{ knowledgeBaseId: 'KB00000001', name: 'support-docs', status: 'ACTIVE', updatedAt: DAYS_AGO(10) }], nextToken: 'kb-2' }
    : {
      knowledgeBaseSummaries: [
        { knowledgeBaseId: 'KB00000002', name: 'poc-contracts', description: 'proof of concept', status: 'ACTIVE', updatedAt: DAYS_AGO(150) },
        { knowledgeBaseId: 'KB00000003', name: 'old-faq', status: 'FAILED', updatedAt: DAYS_AGO(400) },
      ],
    }));
}

const SERIES: Series = {
  'Invocations|shaiku000001': [400, 500, 300],
  'Invocations|nopus0000003': [100, 200],
  'TimeToFirstToken|nopus0000003': [50, 70],
  // pt-1 (by ARN): 1,080,000,000 tokens over 43,200 minutes = 25,000 per minute, capacity 2 x 50,000
  [`Invocations|${ptArn('pt1')}`]: [4_000, 6_000],
  [`InputTokenCount|${ptArn('pt1')}`]: [500_000_000, 300_000_000],
  [`CacheReadInputTokenCount|${ptArn('pt1')}`]: [200_000_000],
  [`OutputTokenCount|${ptArn('pt1')}`]: [80_000_000],
  // pt-4 (by id): 43,200,000 tokens = 1,000 per minute, no capacity figure for Opus
  'Invocations|pt4': [50],
  'InputTokenCount|pt4': [40_000_000],
  'OutputTokenCount|pt4': [3_200_000],
  'kb|KB00000001': [3, 0, 5],
  'kb|KB00000002': [],
};

const clients = () => ({
  bedrock: new BedrockClient({ region: REGION }),
  cloudWatch: new CloudWatchClient({ region: REGION }),
  s3: new S3Client({ region: REGION }),
  sns: new SNSClient({ region: REGION }),
  knowledgeBases: new RuntimeKnowledgeBaseLister(REGION),
});

beforeEach(() => {
  bedrock.reset();
  cloudWatch.reset();
  s3.reset();
  sns.reset();
  kb.reset();
  sleeps.length = 0;
  s3.on(PutObjectCommand).resolves({ ETag: '"etag"' });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
});

const EXPECTED: WasteAuditReport = {
  schemaVersion: 1,
  generatedAt: '2026-11-23T06:00:00.000Z',
  account: ACCOUNT,
  region: REGION,
  window: { start: '2026-10-24T06:00:00.000Z', end: '2026-11-23T06:00:00.000Z', days: 30 },
  provisionedUtilizationThreshold: 0.6,
  summary: {
    knowledgeBases: 3,
    idleKnowledgeBases: 2,
    applicationInferenceProfiles: 4,
    idleProfiles: 1,
    profilesCreatedInWindow: 1,
    provisionedThroughputs: 3,
    underusedProvisionedThroughputs: 2,
    nonInteractiveStreamingProfiles: 1,
  },
  idleKnowledgeBases: [
    { knowledgeBaseId: 'KB00000002', name: 'poc-contracts', status: 'ACTIVE', updatedAt: '2026-06-26T06:00:00.000Z' },
    { knowledgeBaseId: 'KB00000003', name: 'old-faq', status: 'FAILED', updatedAt: '2025-10-19T06:00:00.000Z' },
  ],
  idleProfiles: [
    { inferenceProfileId: 'sold00000002', inferenceProfileArn: profileArn('sold00000002'), name: 'search-old', team: 'search', modelArn: fm(SONNET), createdAt: '2026-07-26T06:00:00.000Z' },
  ],
  provisionedThroughput: [
    { provisionedModelArn: ptArn('pt1'), name: 'pt-1', team: 'search', foundationModelId: SONNET, modelUnits: 2, commitment: 'OneMonth', commitmentExpirationTime: '2026-12-20T00:00:00.000Z', invocations: 10_000, tokens: 1_080_000_000, tokensPerMinute: 25_000, capacityTokensPerMinute: 100_000, estimatedUtilization: 0.25, finding: 'below threshold' },
    { provisionedModelArn: ptArn('pt2'), name: 'pt-2', team: null, foundationModelId: HAIKU, modelUnits: 1, commitment: 'none', commitmentExpirationTime: null, invocations: 0, tokens: 0, tokensPerMinute: 0, capacityTokensPerMinute: null, estimatedUtilization: null, finding: 'idle' },
    { provisionedModelArn: ptArn('pt4'), name: 'pt-4', team: 'research', foundationModelId: OPUS, modelUnits: 1, commitment: 'SixMonths', commitmentExpirationTime: '2027-03-01T00:00:00.000Z', invocations: 50, tokens: 43_200_000, tokensPerMinute: 1_000, capacityTokensPerMinute: null, estimatedUtilization: null, finding: 'capacity unknown' },
  ],
  nonInteractiveStreaming: [
    { team: 'nightly', inferenceProfileId: 'nopus0000003', name: 'nightly-claude-opus-4-5', streamingRequests: 120, invocations: 300, streamingShare: 0.4 },
  ],
  notAudited: ['1 provisioned throughput(s) not in service (pt-3: Creating)'],
  notes: expect.any(Array) as unknown as string[],
};

const EXPECTED_MESSAGE = `Bedrock waste audit of account ${ACCOUNT} in ${REGION}, 2026-10-24 to 2026-11-23 (30 days):
- 2 of 3 knowledge bases had no query traffic
- 1 of 3 application inference profiles had no invocations
- 2 of 3 provisioned throughputs idle or below 60% estimated utilisation
- 1 profiles of non-interactive teams served streaming requests
  pt-1: below threshold (25%), 2 model units, commitment OneMonth
  pt-2: idle, 1 model units, commitment none
  nightly / nightly-claude-opus-4-5: 120 streaming requests
Not audited: 1 provisioned throughput(s) not in service (pt-3: Creating)
Report: s3://reports-bucket/waste-audit/2026-11-23T06-00-00Z/waste-audit.md (JSON beside it)
`;

describe('waste-audit handler', () => {
  test('a full run: paginated listings, paginated and partial metrics, throttling retried, exact report', async () => {
    fakeInventory({ throttleTags: true });
    const requests = fakeCloudWatch(SERIES, { pageSize: 4, missing: ['KB00000003'], throttleFirst: true });
    const result = await runWasteAudit(CONFIG, clients(), NOW, RETRY);

    expect(result.report).toEqual(EXPECTED);
    expect(result.jsonKey).toEqual('waste-audit/2026-11-23T06-00-00Z/waste-audit.json');
    expect(result.markdownKey).toEqual('waste-audit/2026-11-23T06-00-00Z/waste-audit.md');
    expect(result.published).toBe(true);

    // Every list was paginated to the end.
    expect(bedrock.commandCalls(ListInferenceProfilesCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'profiles-2']);
    expect(bedrock.commandCalls(ListProvisionedModelThroughputsCommand).map((c) => c.args[0].input.nextToken)).toEqual([undefined, 'pt-page-2']);
    expect(kb.commandCalls(agent.ListKnowledgeBasesCommand).map((c) => (c.args[0] as any).input)).toEqual([{ maxResults: 1000, nextToken: undefined }, { maxResults: 1000, nextToken: 'kb-2' }]);
    // Tags of the four profiles and the three throughputs in service, one call retried after throttling.
    expect(bedrock.commandCalls(ListTagsForResourceCommand)).toHaveLength(8);
    // One request of 4 + 1 (TimeToFirstToken) + 3 x 2 x 5 (throughputs) + 3 x 2 (knowledge bases) = 41 queries,
    // throttled once, then answered in 4 pages of at most 4 results (the 38 metrics minus the missing one).
    expect(requests.map((r) => r.length)).toEqual([41]);
    expect(cloudWatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, undefined, '4', '8', '12', '16', '20', '24', '28', '32', '36']);
    // Full-jitter backoff with random() = 0.5: half of 100 ms on each first retry.
    expect(sleeps).toEqual([50, 50]);

    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key, p.ContentType, p.ExpectedBucketOwner])).toEqual([
      ['reports-bucket', 'waste-audit/2026-11-23T06-00-00Z/waste-audit.json', 'application/json', ACCOUNT],
      ['reports-bucket', 'waste-audit/2026-11-23T06-00-00Z/waste-audit.md', 'text/markdown; charset=utf-8', ACCOUNT],
    ]);
    expect(JSON.parse(String(puts[0].Body))).toEqual(JSON.parse(JSON.stringify(result.report)));
    expect(puts[1].Body).toEqual(renderMarkdown(result.report));
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([{
      TopicArn: TOPIC,
      Subject: `Bedrock waste audit ${ACCOUNT} ${REGION} 2026-11-23: 6 findings`,
      Message: EXPECTED_MESSAGE,
    }]);
  });

  test('the Markdown report', async () => {
    fakeInventory();
    fakeCloudWatch(SERIES, { missing: ['KB00000003'] });
    const { report } = await runWasteAudit(CONFIG, clients(), NOW, RETRY);
    const markdown = renderMarkdown(report);
    expect(markdown.split('\n## How to read this')[0]).toEqual(`# Bedrock waste audit: ${ACCOUNT} ${REGION}

Window: 2026-10-24T06:00:00.000Z to 2026-11-23T06:00:00.000Z (30 days). Generated 2026-11-23T06:00:00.000Z.

| finding | count |
|---|---|
| idle knowledge bases | 2 of 3 |
| idle application inference profiles | 1 of 3 (1 newer than the window) |
| provisioned throughput idle or below 60% | 2 of 3 |
| non-interactive profiles that stream | 1 |

## Idle knowledge bases

| id | name | status | updated |
|---|---|---|---|
| KB00000002 | poc-contracts | ACTIVE | 2026-06-26T06:00:00.000Z |
| KB00000003 | old-faq | FAILED | 2025-10-19T06:00:00.000Z |

## Idle application inference profiles

| profile | id | team | model | created |
|---|---|---|---|---|
| search-old | sold00000002 | search | ${fm(SONNET)} | 2026-07-26T06:00:00.000Z |

## Provisioned throughput

| name | team | model | units | commitment | invocations | tokens/min | capacity tokens/min | est. utilisation | finding |
|---|---|---|---|---|---|---|---|---|---|
| pt-1 | search | ${SONNET} | 2 | OneMonth | 10000 | 25000 | 100000 | 25% | below threshold |
| pt-2 | - | ${HAIKU} | 1 | none | 0 | 0 | - | - | idle |
| pt-4 | research | ${OPUS} | 1 | SixMonths | 50 | 1000 | - | - | capacity unknown |

## Streaming by non-interactive teams

| team | profile | id | streaming requests | invocations | share |
|---|---|---|---|---|---|
| nightly | nightly-claude-opus-4-5 | nopus0000003 | 120 | 300 | 40% |

## Not audited

- 1 provisioned throughput(s) not in service (pt-3: Creating)
`);
    expect(markdown).toContain('- Provisioned throughput: no CloudWatch metric states utilisation.');
  });

  test('an empty account: no findings, no SNS topic configured', async () => {
    bedrock.on(ListInferenceProfilesCommand).resolves({ inferenceProfileSummaries: [] });
    bedrock.on(ListProvisionedModelThroughputsCommand).resolves({});
    kb.on(agent.ListKnowledgeBasesCommand).resolves({ knowledgeBaseSummaries: [] } as any);
    const { report, published } = await runWasteAudit({ ...CONFIG, topicArn: undefined }, clients(), NOW, RETRY);
    expect(report.summary).toEqual({
      knowledgeBases: 0,
      idleKnowledgeBases: 0,
      applicationInferenceProfiles: 0,
      idleProfiles: 0,
      profilesCreatedInWindow: 0,
      provisionedThroughputs: 0,
      underusedProvisionedThroughputs: 0,
      nonInteractiveStreamingProfiles: 0,
    });
    expect(published).toBe(false);
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  test('knowledge bases that cannot be listed are reported as not audited; the rest of the audit runs', async () => {
    fakeInventory();
    kb.on(agent.ListKnowledgeBasesCommand).rejects(Object.assign(new Error('User is not authorized to perform: bedrock:ListKnowledgeBases'), { name: 'AccessDeniedException' }));
    fakeCloudWatch(SERIES);
    const { report } = await runWasteAudit(CONFIG, clients(), NOW, RETRY);
    expect(report.summary.knowledgeBases).toBeNull();
    expect(report.notAudited).toEqual([
      '1 provisioned throughput(s) not in service (pt-3: Creating)',
      'knowledge bases: ListKnowledgeBases failed (AccessDeniedException: User is not authorized to perform: bedrock:ListKnowledgeBases)',
    ]);
    expect(report.idleProfiles.map((p) => p.inferenceProfileId)).toEqual(['sold00000002']);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.Message).toContain('- knowledge bases: not audited (see the report)');
  });

  test('throttling that never stops fails the run after maxAttempts, with backoff doubling up to the cap', async () => {
    bedrock.on(ListInferenceProfilesCommand).rejects(throttling());
    await expect(runWasteAudit(CONFIG, clients(), NOW, { ...RETRY, maxAttempts: 6 })).rejects.toThrow('Rate exceeded');
    expect(bedrock.commandCalls(ListInferenceProfilesCommand)).toHaveLength(6);
    // 0.5 x min(1000, 100 x 2^(n-1)) for n = 1..5
    expect(sleeps).toEqual([50, 100, 200, 400, 500]);
  });

  test('errors that are not throttling are not retried', async () => {
    bedrock.on(ListInferenceProfilesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }));
    await expect(runWasteAudit(CONFIG, clients(), NOW, RETRY)).rejects.toThrow('denied');
    expect(bedrock.commandCalls(ListInferenceProfilesCommand)).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  test('hundreds of profiles: GetMetricData batched at 500 queries', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `p${String(i).padStart(11, '0')}`);
    bedrock.on(ListInferenceProfilesCommand).resolves({
      inferenceProfileSummaries: ids.map((id) => ({ inferenceProfileName: id, inferenceProfileId: id, inferenceProfileArn: profileArn(id), models: [], status: 'ACTIVE', type: 'APPLICATION', createdAt: DAYS_AGO(90) })),
    });
    bedrock.on(ListProvisionedModelThroughputsCommand).resolves({});
    bedrock.on(ListTagsForResourceCommand).callsFake((input) => ({
      tags: [{ key: 'bedrock-governance:interactive', value: Number(input.resourceARN.slice(-3)) < 250 ? 'false' : 'true' }],
    }));
    kb.on(agent.ListKnowledgeBasesCommand).resolves({});
    const requests = fakeCloudWatch({ [`Invocations|${ids[7]}`]: [1], [`TimeToFirstToken|${ids[7]}`]: [1] });
    const { report } = await runWasteAudit(CONFIG, clients(), NOW, RETRY);
    // 300 Invocations + 250 TimeToFirstToken queries
    expect(requests.map((r) => r.length)).toEqual([500, 50]);
    expect(report.summary.idleProfiles).toBe(299);
    expect(report.nonInteractiveStreaming).toEqual([
      { team: null, inferenceProfileId: ids[7], name: ids[7], streamingRequests: 1, invocations: 1, streamingShare: 1 },
    ]);
  });

  test('handler(): settings from the environment, the event time dates the report', async () => {
    fakeInventory();
    fakeCloudWatch(SERIES);
    const env = {
      ACCOUNT_ID: ACCOUNT,
      AWS_REGION: REGION,
      REPORT_BUCKET: 'reports-bucket',
      REPORT_PREFIX: 'audits/',
      REPORT_BUCKET_OWNER: ACCOUNT,
      TOPIC_ARN: TOPIC,
      LOOKBACK_DAYS: '30',
      UTILIZATION_THRESHOLD: '0.6',
      MODEL_UNIT_TOKENS_PER_MINUTE: JSON.stringify({ [SONNET]: 50_000 }),
      TEAM_TAG_KEY: 'team',
      INTERACTIVE_TAG_KEY: 'bedrock-governance:interactive',
    };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(configFromEnv(process.env)).toEqual({ ...CONFIG, reportPrefix: 'audits/' });
      await expect(handler({ time: '2026-11-23T06:00:00Z' })).resolves.toEqual({
        jsonKey: 'audits/2026-11-23T06-00-00Z/waste-audit.json', markdownKey: 'audits/2026-11-23T06-00-00Z/waste-audit.md', findings: 6,
      });
    } finally {
      process.env = saved;
      log.mockRestore();
    }
  });

  test('configFromEnv names a missing setting', () => {
    expect(() => configFromEnv({ AWS_REGION: REGION })).toThrow('environment variable ACCOUNT_ID is not set');
  });
});

describe('GetMetricData batching', () => {
  const q = (id: string): MetricDataQuery => ({ Id: id, Expression: 'x', ReturnData: true });
  test('at most 500 queries, and at most 100,800 data points, per request; SEARCH and SUM stay together', () => {
    const singles = Array.from({ length: 1001 }, (_, i) => ({ queries: [q(`a${i}`)], resultIds: [`a${i}`] }));
    expect(batchMetricQueries(singles, 30).map((b) => b.length)).toEqual([500, 500, 1]);
    // 455 daily points: 100,800 / 455 = 221 queries per request
    expect(batchMetricQueries(singles.slice(0, 500), 455).map((b) => b.length)).toEqual([221, 221, 58]);
    const pairs = Array.from({ length: 251 }, (_, i) => ({ queries: [q(`k${i}s`), q(`k${i}`)], resultIds: [`k${i}`] }));
    const batches = batchMetricQueries(pairs, 30);
    expect(batches.map((b) => b.length)).toEqual([500, 2]);
    expect(batches[1].map((x) => x.Id)).toEqual(['k250s', 'k250']);
  });
});

describe('retry', () => {
  test('what is throttling and what is retryable', () => {
    expect(isThrottling(throttling())).toBe(true);
    expect(isThrottling(throttling('Throttling'))).toBe(true);
    expect(isThrottling({ name: 'X', $retryable: { throttling: true } })).toBe(true);
    expect(isThrottling({ name: 'X', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottling({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } })).toBe(false);
    expect(isRetryable({ name: 'InternalServerException', $fault: 'server' })).toBe(true);
    expect(isRetryable({ name: 'X', $metadata: { httpStatusCode: 503 } })).toBe(true);
    expect(isRetryable({ code: 'ECONNRESET' })).toBe(true);
    expect(isRetryable({ name: 'ValidationException', $fault: 'client', $metadata: { httpStatusCode: 400 } })).toBe(false);
  });

  test('a transient error is retried once and the call succeeds', async () => {
    let calls = 0;
    const seen: Array<[number, number]> = [];
    await expect(withRetry(async () => {
      calls++;
      if (calls === 1) {
        throw Object.assign(new Error('boom'), { name: 'ServiceUnavailableException', $fault: 'server' });
      }
      return 'ok';
    }, { ...RETRY, onRetry: (attempt, _e, delay) => seen.push([attempt, delay]) })).resolves.toBe('ok');
    expect(seen).toEqual([[1, 50]]);
  });
});
