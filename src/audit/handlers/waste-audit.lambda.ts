/**
 * The waste-audit Lambda of `WasteAudit`, bundled at build time by `scripts/bundle-lambdas.ts` into
 * `assets/waste-audit/index.js`. Never exported from the library's index.
 *
 * Each run lists the account's knowledge bases, provisioned model throughputs and application inference profiles in
 * the function's Region, reads their CloudWatch usage for the last N days (GetMetricData, batched), and writes a JSON
 * and a Markdown report to S3 and a summary to SNS:
 * - idle knowledge bases: no `Invocations` (Retrieve and the other knowledge-base operations) in the window;
 * - idle application inference profiles: no `Invocations` in the window (profiles created within it are skipped);
 * - provisioned throughput below the utilisation threshold: no metric states utilisation, so it is estimated as
 *   tokens per minute consumed over the window (input, cache and output tokens) divided by the model units times the
 *   tokens per minute one unit serves, which the deployer supplies per model (UNVERIFIED: AWS does not publish it
 *   for every model); a throughput with no invocation at all is idle whatever its capacity;
 * - streaming by non-interactive teams: profiles tagged `<interactive tag> = false` whose `TimeToFirstToken` has
 *   samples (Bedrock publishes it for streaming requests only, so its SampleCount counts streaming requests).
 *
 * Dependencies: `@aws-sdk/client-bedrock`, `-cloudwatch`, `-s3` and `-sns` are bundled; `@aws-sdk/client-bedrock-agent`
 * (for ListKnowledgeBases) is not installed in this project, so the bundle leaves it external and takes it from the
 * AWS SDK for JavaScript v3 that the Lambda Node.js runtime ships.
 */
import {
  BedrockClient, ListInferenceProfilesCommand, ListProvisionedModelThroughputsCommand, ListTagsForResourceCommand,
} from '@aws-sdk/client-bedrock';
import { CloudWatchClient, GetMetricDataCommand, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { BedrockMetricNames } from '../../models/metric-names';

const KNOWLEDGE_BASES_NAMESPACE = BedrockMetricNames.KNOWLEDGE_BASES_NAMESPACE;
import { DEFAULT_RETRY, RetryOptions, isThrottling, withRetry } from '../private/retry';

/** Settings of a run, from the function's environment. */
export interface WasteAuditConfig {
  readonly account: string;
  readonly region: string;
  readonly reportBucket: string;
  /** Key prefix of the reports, `''` or ending with `/`. */
  readonly reportPrefix: string;
  readonly expectedBucketOwner?: string;
  readonly topicArn?: string;
  readonly lookbackDays: number;
  /** Fraction (0-1) of estimated capacity below which provisioned throughput is reported. */
  readonly utilizationThreshold: number;
  /** Tokens per minute one model unit serves, by foundation-model id. */
  readonly modelUnitTokensPerMinute: Record<string, number>;
  readonly teamTagKey: string;
  readonly interactiveTagKey: string;
}

/** Read the settings from the environment `WasteAudit` gives the function. */
export function configFromEnv(env: Record<string, string | undefined>): WasteAuditConfig {
  const required = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new Error(`environment variable ${name} is not set`);
    }
    return value;
  };
  return {
    account: required('ACCOUNT_ID'),
    region: required('AWS_REGION'),
    reportBucket: required('REPORT_BUCKET'),
    reportPrefix: env.REPORT_PREFIX ?? '',
    expectedBucketOwner: env.REPORT_BUCKET_OWNER || undefined,
    topicArn: env.TOPIC_ARN || undefined,
    lookbackDays: Number(required('LOOKBACK_DAYS')),
    utilizationThreshold: Number(required('UTILIZATION_THRESHOLD')),
    modelUnitTokensPerMinute: JSON.parse(env.MODEL_UNIT_TOKENS_PER_MINUTE || '{}'),
    teamTagKey: required('TEAM_TAG_KEY'),
    interactiveTagKey: required('INTERACTIVE_TAG_KEY'),
  };
}

/** A knowledge base as ListKnowledgeBases returns it. */
export interface KnowledgeBaseSummary {
  readonly knowledgeBaseId?: string;
  readonly name?: string;
  readonly status?: string;
  readonly updatedAt?: Date;
}

/** Lists knowledge bases (the bedrock-agent API). */
export interface KnowledgeBaseLister {
  list(retry: RetryOptions): Promise<KnowledgeBaseSummary[]>;
}

/** Minimal shape of `@aws-sdk/client-bedrock-agent`. */
interface BedrockAgentModule {
  readonly BedrockAgentClient: new (config: { region: string; maxAttempts: number }) => { send(command: unknown): Promise<any> };
  readonly ListKnowledgeBasesCommand: new (input: { maxResults?: number; nextToken?: string }) => unknown;
}

/** Lists knowledge bases with the `@aws-sdk/client-bedrock-agent` of the Lambda runtime (loaded on first use). */
export class RuntimeKnowledgeBaseLister implements KnowledgeBaseLister {
  constructor(
    private readonly region: string,
    // Resolved at run time from the Lambda runtime's SDK (left external by the bundler).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    private readonly load: () => BedrockAgentModule = () => require('@aws-sdk/client-bedrock-agent'),
  ) {}

  public async list(retry: RetryOptions): Promise<KnowledgeBaseSummary[]> {
    const sdk = this.load();
    const client = new sdk.BedrockAgentClient({ region: this.region, maxAttempts: 1 });
    const all: KnowledgeBaseSummary[] = [];
    let nextToken: string | undefined;
    do {
      const page = await withRetry(() => client.send(new sdk.ListKnowledgeBasesCommand({ maxResults: 1000, nextToken })), retry);
      all.push(...(page.knowledgeBaseSummaries ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }
}

/** The clients a run uses. */
export interface WasteAuditClients {
  readonly bedrock: BedrockClient;
  readonly cloudWatch: CloudWatchClient;
  readonly s3: S3Client;
  readonly sns?: SNSClient;
  readonly knowledgeBases: KnowledgeBaseLister;
}

/** A knowledge base without query traffic. */
export interface IdleKnowledgeBase {
  readonly knowledgeBaseId: string;
  readonly name: string;
  readonly status: string;
  readonly updatedAt: string | null;
}

/** An application inference profile without invocations. */
export interface IdleProfile {
  readonly inferenceProfileId: string;
  readonly inferenceProfileArn: string;
  readonly name: string;
  readonly team: string | null;
  readonly modelArn: string | null;
  readonly createdAt: string | null;
}

/** A provisioned throughput and its estimated utilisation. */
export interface ProvisionedThroughputUsage {
  readonly provisionedModelArn: string;
  readonly name: string;
  readonly team: string | null;
  readonly foundationModelId: string | null;
  readonly modelUnits: number;
  readonly commitment: string;
  readonly commitmentExpirationTime: string | null;
  readonly invocations: number;
  readonly tokens: number;
  readonly tokensPerMinute: number;
  readonly capacityTokensPerMinute: number | null;
  readonly estimatedUtilization: number | null;
  /** `idle`, `below threshold`, `capacity unknown` or `ok`. */
  readonly finding: string;
}

/** A non-interactive profile that served streaming requests. */
export interface NonInteractiveStreaming {
  readonly team: string | null;
  readonly inferenceProfileId: string;
  readonly name: string;
  readonly streamingRequests: number;
  readonly invocations: number;
  readonly streamingShare: number | null;
}

/** The report written to S3 (JSON) and rendered as Markdown. */
export interface WasteAuditReport {
  readonly schemaVersion: 1;
  readonly generatedAt: string;
  readonly account: string;
  readonly region: string;
  readonly window: { readonly start: string; readonly end: string; readonly days: number };
  readonly provisionedUtilizationThreshold: number;
  readonly summary: {
    readonly knowledgeBases: number | null;
    readonly idleKnowledgeBases: number;
    readonly applicationInferenceProfiles: number;
    readonly idleProfiles: number;
    readonly profilesCreatedInWindow: number;
    readonly provisionedThroughputs: number;
    readonly underusedProvisionedThroughputs: number;
    readonly nonInteractiveStreamingProfiles: number;
  };
  readonly idleKnowledgeBases: IdleKnowledgeBase[];
  readonly idleProfiles: IdleProfile[];
  readonly provisionedThroughput: ProvisionedThroughputUsage[];
  readonly nonInteractiveStreaming: NonInteractiveStreaming[];
  /** What could not be audited, and why. */
  readonly notAudited: string[];
  /** How to read the findings. */
  readonly notes: string[];
}

/** What a run wrote. */
export interface WasteAuditResult {
  readonly report: WasteAuditReport;
  readonly jsonKey: string;
  readonly markdownKey: string;
  readonly published: boolean;
}

/** GetMetricData limits: 500 queries and 100,800 data points per request. */
const MAX_QUERIES_PER_REQUEST = 500;
const MAX_DATAPOINTS_PER_REQUEST = 100_800;
const DAY_SECONDS = 86_400;
const TAG_CONCURRENCY = 5;

const NOTES = [
  'Knowledge bases: idle means no Invocations in the AWS/Bedrock/KnowledgeBases namespace during the window. Bedrock documents these runtime metrics for managed knowledge bases; their dimensions are not documented, so the audit finds each knowledge base with a CloudWatch SEARCH on its id, and SEARCH only finds metrics that reported in the last two weeks. Check a knowledge base is unused before deleting it.',
  'Application inference profiles: idle means no Invocations with ModelId = the profile id during the window; profiles created during the window are not judged.',
  'Provisioned throughput: no CloudWatch metric states utilisation. It is estimated as the tokens per minute consumed over the window (InputTokenCount + CacheReadInputTokenCount + CacheWriteInputTokenCount + OutputTokenCount, with ModelId = the provisioned model ARN or id, whichever has data) divided by model units x tokens per minute per unit (supplied per model to WasteAudit; UNVERIFIED). With no capacity figure only idle throughput is flagged.',
  'Streaming: CloudWatch does not split invocations by operation. TimeToFirstToken is published for streaming requests only, so its SampleCount counts them per profile. CloudWatch cannot show who streamed, nor streaming through system profiles or direct model calls: the StreamingSharePerTeam query over the invocation logs can.',
];

interface MetricRequest {
  /** Queries that must travel in the same request (a SEARCH and the SUM over it). */
  readonly queries: MetricDataQuery[];
  /** The ids whose values are summed into the result. */
  readonly resultIds: string[];
}

/** Split metric requests into GetMetricData calls of at most 500 queries and 100,800 data points. */
export function batchMetricQueries(requests: MetricRequest[], pointsPerQuery: number): MetricDataQuery[][] {
  const batches: MetricDataQuery[][] = [];
  let current: MetricDataQuery[] = [];
  for (const request of requests) {
    const fits = current.length + request.queries.length <= MAX_QUERIES_PER_REQUEST
      && (current.length + request.queries.length) * pointsPerQuery <= MAX_DATAPOINTS_PER_REQUEST;
    if (!fits && current.length > 0) {
      batches.push(current);
      current = [];
    }
    current.push(...request.queries);
  }
  if (current.length > 0) {
    batches.push(current);
  }
  return batches;
}

function metric(id: string, metricName: string, dimension: string, stat: string): MetricDataQuery {
  return {
    Id: id,
    MetricStat: {
      Metric: {
        Namespace: BedrockMetricNames.NAMESPACE,
        MetricName: metricName,
        Dimensions: [{ Name: BedrockMetricNames.MODEL_ID_DIMENSION, Value: dimension }],
      },
      Period: DAY_SECONDS,
      Stat: stat,
    },
    ReturnData: true,
  };
}

/** Run at most `limit` calls at a time. */
async function pool<T, R>(items: T[], limit: number, call: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await call(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function iso(date: Date | undefined): string | null {
  return date ? date.toISOString() : null;
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
}

/** Run an audit. */
export async function runWasteAudit(
  config: WasteAuditConfig, clients: WasteAuditClients, now: Date, retry: RetryOptions = DEFAULT_RETRY,
): Promise<WasteAuditResult> {
  const end = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const start = new Date(end.getTime() - config.lookbackDays * DAY_SECONDS * 1000);
  const notAudited: string[] = [];

  // 1. Inventory.
  const profiles: Array<{ id: string; arn: string; name: string; modelArn: string | null; createdAt?: Date }> = [];
  let nextToken: string | undefined;
  do {
    const page = await withRetry(() => clients.bedrock.send(new ListInferenceProfilesCommand({ typeEquals: 'APPLICATION', maxResults: 1000, nextToken })), retry);
    for (const p of page.inferenceProfileSummaries ?? []) {
      profiles.push({
        id: p.inferenceProfileId!,
        arn: p.inferenceProfileArn!,
        name: p.inferenceProfileName ?? p.inferenceProfileId!,
        modelArn: p.models?.[0]?.modelArn ?? null,
        createdAt: p.createdAt,
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);

  const throughputs: Array<{
    arn: string;
    name: string;
    foundationModelArn?: string;
    modelUnits: number;
    status?: string;
    commitment?: string;
    commitmentExpirationTime?: Date;
    creationTime?: Date;
  }> = [];
  nextToken = undefined;
  do {
    const page = await withRetry(() => clients.bedrock.send(new ListProvisionedModelThroughputsCommand({ maxResults: 1000, nextToken })), retry);
    for (const t of page.provisionedModelSummaries ?? []) {
      throughputs.push({
        arn: t.provisionedModelArn!,
        name: t.provisionedModelName ?? t.provisionedModelArn!,
        foundationModelArn: t.foundationModelArn,
        modelUnits: t.modelUnits ?? 0,
        status: t.status,
        commitment: t.commitmentDuration,
        commitmentExpirationTime: t.commitmentExpirationTime,
        creationTime: t.creationTime,
      });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  const inService = throughputs.filter((t) => t.status === 'InService');
  if (inService.length < throughputs.length) {
    notAudited.push(`${throughputs.length - inService.length} provisioned throughput(s) not in service (${throughputs.filter((t) => t.status !== 'InService').map((t) => `${t.name}: ${t.status}`).join(', ')})`);
  }

  let knowledgeBases: KnowledgeBaseSummary[] | undefined;
  try {
    knowledgeBases = await clients.knowledgeBases.list(retry);
  } catch (error) {
    if (isThrottling(error)) {
      throw error;
    }
    notAudited.push(`knowledge bases: ListKnowledgeBases failed (${errorText(error)})`);
  }

  const tagsOf = (arn: string) => withRetry(async () => {
    const response = await clients.bedrock.send(new ListTagsForResourceCommand({ resourceARN: arn }));
    return Object.fromEntries((response.tags ?? []).map((t) => [t.key ?? '', t.value ?? '']));
  }, retry);
  const profileTags = await pool(profiles, TAG_CONCURRENCY, (p) => tagsOf(p.arn));
  const throughputTags = await pool(inService, TAG_CONCURRENCY, (t) => tagsOf(t.arn));

  // 2. Usage.
  const requests: MetricRequest[] = [];
  profiles.forEach((p, i) => {
    requests.push({ queries: [metric(`p${i}inv`, BedrockMetricNames.INVOCATIONS, p.id, 'Sum')], resultIds: [`p${i}inv`] });
    if (profileTags[i][config.interactiveTagKey] === 'false') {
      requests.push({ queries: [metric(`p${i}ttft`, BedrockMetricNames.TIME_TO_FIRST_TOKEN, p.id, 'SampleCount')], resultIds: [`p${i}ttft`] });
    }
  });
  const throughputMetrics: Array<[string, string]> = [
    ['inv', BedrockMetricNames.INVOCATIONS],
    ['in', BedrockMetricNames.INPUT_TOKEN_COUNT],
    ['cr', BedrockMetricNames.CACHE_READ_INPUT_TOKEN_COUNT],
    ['cw', BedrockMetricNames.CACHE_WRITE_INPUT_TOKEN_COUNT],
    ['out', BedrockMetricNames.OUTPUT_TOKEN_COUNT],
  ];
  inService.forEach((t, i) => {
    // The ModelId of provisioned-throughput metrics is UNVERIFIED: the ARN and the id are both read.
    const forms = [t.arn, t.arn.split('/').pop()!];
    forms.forEach((form, f) => {
      for (const [suffix, name] of throughputMetrics) {
        requests.push({ queries: [metric(`t${i}f${f}${suffix}`, name, form, 'Sum')], resultIds: [`t${i}f${f}${suffix}`] });
      }
    });
  });
  (knowledgeBases ?? []).forEach((kb, i) => {
    const search = `SEARCH('{${KNOWLEDGE_BASES_NAMESPACE}} MetricName="${BedrockMetricNames.INVOCATIONS}" "${kb.knowledgeBaseId}"', 'Sum', ${DAY_SECONDS})`;
    requests.push({
      queries: [
        { Id: `k${i}s`, Expression: search, ReturnData: false },
        { Id: `k${i}`, Expression: `SUM(k${i}s)`, ReturnData: true },
      ],
      resultIds: [`k${i}`],
    });
  });
  const sums = new Map<string, number>();
  const pointsPerQuery = Math.ceil((end.getTime() - start.getTime()) / 1000 / DAY_SECONDS);
  for (const batch of batchMetricQueries(requests, pointsPerQuery)) {
    let token: string | undefined;
    do {
      const page = await withRetry(() => clients.cloudWatch.send(new GetMetricDataCommand({
        StartTime: start, EndTime: end, MetricDataQueries: batch, NextToken: token, ScanBy: 'TimestampAscending',
      })), retry);
      for (const result of page.MetricDataResults ?? []) {
        sums.set(result.Id!, (sums.get(result.Id!) ?? 0) + (result.Values ?? []).reduce((a, b) => a + b, 0));
      }
      token = page.NextToken;
    } while (token);
  }
  const sum = (id: string) => sums.get(id) ?? 0;

  // 3. Findings.
  const idleKnowledgeBases: IdleKnowledgeBase[] = (knowledgeBases ?? [])
    .map((kb, i) => ({ kb, invocations: sum(`k${i}`) }))
    .filter(({ invocations }) => invocations === 0)
    .map(({ kb }) => ({ knowledgeBaseId: kb.knowledgeBaseId ?? '', name: kb.name ?? '', status: kb.status ?? '', updatedAt: iso(kb.updatedAt) }));
  const judged = profiles.map((p, i) => ({ p, i })).filter(({ p }) => !p.createdAt || p.createdAt.getTime() <= start.getTime());
  const idleProfiles: IdleProfile[] = judged
    .filter(({ i }) => sum(`p${i}inv`) === 0)
    .map(({ p, i }) => ({
      inferenceProfileId: p.id,
      inferenceProfileArn: p.arn,
      name: p.name,
      team: profileTags[i][config.teamTagKey] ?? null,
      modelArn: p.modelArn,
      createdAt: iso(p.createdAt),
    }));
  const nonInteractiveStreaming: NonInteractiveStreaming[] = profiles
    .map((p, i) => ({ p, i }))
    .filter(({ i }) => profileTags[i][config.interactiveTagKey] === 'false' && sum(`p${i}ttft`) > 0)
    .map(({ p, i }) => {
      const invocations = sum(`p${i}inv`);
      const streamingRequests = sum(`p${i}ttft`);
      return {
        team: profileTags[i][config.teamTagKey] ?? null,
        inferenceProfileId: p.id,
        name: p.name,
        streamingRequests,
        invocations,
        streamingShare: invocations === 0 ? null : Math.round(Math.min(1, streamingRequests / invocations) * 10_000) / 10_000,
      };
    });
  const provisionedThroughput: ProvisionedThroughputUsage[] = inService.map((t, i) => {
    const best = (suffix: string) => Math.max(sum(`t${i}f0${suffix}`), sum(`t${i}f1${suffix}`));
    const invocations = best('inv');
    const tokens = best('in') + best('cr') + best('cw') + best('out');
    const from = Math.max(start.getTime(), t.creationTime?.getTime() ?? start.getTime());
    const minutes = Math.max(1, (end.getTime() - from) / 60_000);
    const tokensPerMinute = Math.round((tokens / minutes) * 100) / 100;
    const foundationModelId = t.foundationModelArn?.split('foundation-model/')[1] ?? null;
    const perUnit = foundationModelId === null ? undefined : config.modelUnitTokensPerMinute[foundationModelId];
    const capacity = perUnit === undefined ? null : perUnit * t.modelUnits;
    const utilization = capacity === null || capacity === 0 ? null : Math.round((tokensPerMinute / capacity) * 10_000) / 10_000;
    const finding = invocations === 0 && tokens === 0
      ? 'idle'
      : utilization === null ? 'capacity unknown' : utilization < config.utilizationThreshold ? 'below threshold' : 'ok';
    return {
      provisionedModelArn: t.arn,
      name: t.name,
      team: throughputTags[i][config.teamTagKey] ?? null,
      foundationModelId,
      modelUnits: t.modelUnits,
      commitment: t.commitment ?? 'none',
      commitmentExpirationTime: iso(t.commitmentExpirationTime),
      invocations,
      tokens,
      tokensPerMinute,
      capacityTokensPerMinute: capacity,
      estimatedUtilization: utilization,
      finding,
    };
  });

  const report: WasteAuditReport = {
    schemaVersion: 1,
    generatedAt: now.toISOString(),
    account: config.account,
    region: config.region,
    window: { start: start.toISOString(), end: end.toISOString(), days: config.lookbackDays },
    provisionedUtilizationThreshold: config.utilizationThreshold,
    summary: {
      knowledgeBases: knowledgeBases === undefined ? null : knowledgeBases.length,
      idleKnowledgeBases: idleKnowledgeBases.length,
      applicationInferenceProfiles: profiles.length,
      idleProfiles: idleProfiles.length,
      profilesCreatedInWindow: profiles.length - judged.length,
      provisionedThroughputs: inService.length,
      underusedProvisionedThroughputs: provisionedThroughput.filter((t) => t.finding === 'idle' || t.finding === 'below threshold').length,
      nonInteractiveStreamingProfiles: nonInteractiveStreaming.length,
    },
    idleKnowledgeBases,
    idleProfiles,
    provisionedThroughput,
    nonInteractiveStreaming,
    notAudited,
    notes: NOTES,
  };

  // 4. Output.
  const stamp = report.generatedAt.replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
  const jsonKey = `${config.reportPrefix}${stamp}/waste-audit.json`;
  const markdownKey = `${config.reportPrefix}${stamp}/waste-audit.md`;
  const put = (key: string, body: string, contentType: string) => withRetry(() => clients.s3.send(new PutObjectCommand({
    Bucket: config.reportBucket, Key: key, Body: body, ContentType: contentType, ExpectedBucketOwner: config.expectedBucketOwner,
  })), retry);
  await put(jsonKey, `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  await put(markdownKey, renderMarkdown(report), 'text/markdown; charset=utf-8');
  let published = false;
  if (config.topicArn && clients.sns) {
    const sns = clients.sns;
    await withRetry(() => sns.send(new PublishCommand({
      TopicArn: config.topicArn,
      Subject: summarySubject(report),
      Message: summaryMessage(report, `s3://${config.reportBucket}/${markdownKey}`),
    })), retry);
    published = true;
  }
  return { report, jsonKey, markdownKey, published };
}

function findingsCount(report: WasteAuditReport): number {
  const s = report.summary;
  return s.idleKnowledgeBases + s.idleProfiles + s.underusedProvisionedThroughputs + s.nonInteractiveStreamingProfiles;
}

/** The SNS subject (at most 100 ASCII characters). */
export function summarySubject(report: WasteAuditReport): string {
  const n = findingsCount(report);
  return `Bedrock waste audit ${report.account} ${report.region} ${report.window.end.slice(0, 10)}: ${n} finding${n === 1 ? '' : 's'}`.slice(0, 100);
}

function pct(value: number): string {
  return `${Math.round(value * 1000) / 10}%`;
}

/** The SNS message: counts and where the report is. */
export function summaryMessage(report: WasteAuditReport, markdownUri: string): string {
  const s = report.summary;
  const lines = [
    `Bedrock waste audit of account ${report.account} in ${report.region}, ${report.window.start.slice(0, 10)} to ${report.window.end.slice(0, 10)} (${report.window.days} days):`,
    s.knowledgeBases === null
      ? '- knowledge bases: not audited (see the report)'
      : `- ${s.idleKnowledgeBases} of ${s.knowledgeBases} knowledge bases had no query traffic`,
    `- ${s.idleProfiles} of ${s.applicationInferenceProfiles - s.profilesCreatedInWindow} application inference profiles had no invocations`,
    `- ${s.underusedProvisionedThroughputs} of ${s.provisionedThroughputs} provisioned throughputs idle or below ${pct(report.provisionedUtilizationThreshold)} estimated utilisation`,
    `- ${s.nonInteractiveStreamingProfiles} profiles of non-interactive teams served streaming requests`,
  ];
  for (const t of report.provisionedThroughput.filter((x) => x.finding === 'idle' || x.finding === 'below threshold')) {
    lines.push(`  ${t.name}: ${t.finding}${t.estimatedUtilization === null ? '' : ` (${pct(t.estimatedUtilization)})`}, ${t.modelUnits} model units, commitment ${t.commitment}`);
  }
  for (const p of report.nonInteractiveStreaming) {
    lines.push(`  ${p.team ?? '(no team tag)'} / ${p.name}: ${p.streamingRequests} streaming requests`);
  }
  if (report.notAudited.length > 0) {
    lines.push(`Not audited: ${report.notAudited.join('; ')}`);
  }
  lines.push(`Report: ${markdownUri} (JSON beside it)`);
  return `${lines.join('\n')}\n`;
}

function cell(value: unknown): string {
  return value === null || value === undefined ? '-' : String(value).replace(/\|/g, '\\|');
}

/** The Markdown report. */
export function renderMarkdown(report: WasteAuditReport): string {
  const s = report.summary;
  const out: string[] = [
    `# Bedrock waste audit: ${report.account} ${report.region}`,
    '',
    `Window: ${report.window.start} to ${report.window.end} (${report.window.days} days). Generated ${report.generatedAt}.`,
    '',
    '| finding | count |',
    '|---|---|',
    `| idle knowledge bases | ${s.knowledgeBases === null ? 'not audited' : `${s.idleKnowledgeBases} of ${s.knowledgeBases}`} |`,
    `| idle application inference profiles | ${s.idleProfiles} of ${s.applicationInferenceProfiles - s.profilesCreatedInWindow} (${s.profilesCreatedInWindow} newer than the window) |`,
    `| provisioned throughput idle or below ${pct(report.provisionedUtilizationThreshold)} | ${s.underusedProvisionedThroughputs} of ${s.provisionedThroughputs} |`,
    `| non-interactive profiles that stream | ${s.nonInteractiveStreamingProfiles} |`,
    '',
    '## Idle knowledge bases',
    '',
  ];
  if (report.idleKnowledgeBases.length === 0) {
    out.push('None.');
  } else {
    out.push('| id | name | status | updated |', '|---|---|---|---|');
    for (const kb of report.idleKnowledgeBases) {
      out.push(`| ${cell(kb.knowledgeBaseId)} | ${cell(kb.name)} | ${cell(kb.status)} | ${cell(kb.updatedAt)} |`);
    }
  }
  out.push('', '## Idle application inference profiles', '');
  if (report.idleProfiles.length === 0) {
    out.push('None.');
  } else {
    out.push('| profile | id | team | model | created |', '|---|---|---|---|---|');
    for (const p of report.idleProfiles) {
      out.push(`| ${cell(p.name)} | ${cell(p.inferenceProfileId)} | ${cell(p.team)} | ${cell(p.modelArn)} | ${cell(p.createdAt)} |`);
    }
  }
  out.push('', '## Provisioned throughput', '');
  if (report.provisionedThroughput.length === 0) {
    out.push('None in service.');
  } else {
    out.push('| name | team | model | units | commitment | invocations | tokens/min | capacity tokens/min | est. utilisation | finding |', '|---|---|---|---|---|---|---|---|---|---|');
    for (const t of report.provisionedThroughput) {
      out.push(`| ${cell(t.name)} | ${cell(t.team)} | ${cell(t.foundationModelId)} | ${t.modelUnits} | ${cell(t.commitment)} | ${t.invocations} | ${t.tokensPerMinute} | ${cell(t.capacityTokensPerMinute)} | ${t.estimatedUtilization === null ? '-' : pct(t.estimatedUtilization)} | ${t.finding} |`);
    }
  }
  out.push('', '## Streaming by non-interactive teams', '');
  if (report.nonInteractiveStreaming.length === 0) {
    out.push('None.');
  } else {
    out.push('| team | profile | id | streaming requests | invocations | share |', '|---|---|---|---|---|---|');
    for (const p of report.nonInteractiveStreaming) {
      out.push(`| ${cell(p.team)} | ${cell(p.name)} | ${cell(p.inferenceProfileId)} | ${p.streamingRequests} | ${p.invocations} | ${p.streamingShare === null ? '-' : pct(p.streamingShare)} |`);
    }
  }
  if (report.notAudited.length > 0) {
    out.push('', '## Not audited', '', ...report.notAudited.map((n) => `- ${n}`));
  }
  out.push('', '## How to read this', '', ...report.notes.map((n) => `- ${n}`), '');
  return out.join('\n');
}

let cachedClients: WasteAuditClients | undefined;

/** The Lambda entry point (an EventBridge scheduled event; its `time` dates the report). */
export async function handler(event: { time?: string } = {}): Promise<{ jsonKey: string; markdownKey: string; findings: number }> {
  const config = configFromEnv(process.env);
  cachedClients ??= {
    bedrock: new BedrockClient({ region: config.region, maxAttempts: 1 }),
    cloudWatch: new CloudWatchClient({ region: config.region, maxAttempts: 1 }),
    s3: new S3Client({ region: config.region, maxAttempts: 1 }),
    sns: config.topicArn ? new SNSClient({ region: config.topicArn.split(':')[3] || config.region, maxAttempts: 1 }) : undefined,
    knowledgeBases: new RuntimeKnowledgeBaseLister(config.region),
  };
  const eventTime = event.time ? new Date(event.time) : undefined;
  const now = eventTime && !Number.isNaN(eventTime.getTime()) ? eventTime : new Date();
  const result = await runWasteAudit(config, cachedClients, now, {
    ...DEFAULT_RETRY,
    onRetry: (attempt, error, delayMs) => console.log(JSON.stringify({ retry: attempt, error: errorText(error), delayMs })),
  });
  const findings = findingsCount(result.report);
  console.log(JSON.stringify({ jsonKey: result.jsonKey, markdownKey: result.markdownKey, findings, summary: result.report.summary }));
  return { jsonKey: result.jsonKey, markdownKey: result.markdownKey, findings };
}
