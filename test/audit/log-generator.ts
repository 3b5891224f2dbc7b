/**
 * Sample Bedrock model invocation logs in the real record format (AWS-FACTS 3) and S3 key layout:
 * `<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/<file>.json.gz`, gzipped JSON
 * lines, one record a line, with request and response bodies (streaming responses as a list of events), cache
 * token counts, request metadata, calls through application profiles, system profiles and foundation models, plus
 * the objects Bedrock writes beside the records (large bodies under `HH/data/`, the permission-check object).
 *
 * Also a command: `node_modules/.bin/tsx test/audit/log-generator.ts <dir> [megabytes]` writes a random workload.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';

export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';

/** One invocation to write as a log record. */
export interface SampleCall {
  readonly time: Date;
  readonly operation: 'Converse' | 'ConverseStream' | 'InvokeModel' | 'InvokeModelWithResponseStream';
  readonly modelId: string;
  readonly identityArn: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Omitted from the record when undefined (older records lack the cache fields). */
  readonly cacheReadTokens?: number;
  readonly cacheWriteTokens?: number;
  readonly requestMetadata?: Record<string, string>;
  readonly inferenceRegion?: string;
  /** Approximate characters of prompt text in the body (default 400). */
  readonly promptChars?: number;
}

export const STREAMING = new Set(['ConverseStream', 'InvokeModelWithResponseStream']);

/** A deterministic pseudo-random generator (a linear congruential generator modulo 2^32, exact in doubles). */
export function random(seed: number): () => number {
  const modulus = 4_294_967_296;
  let state = Math.abs(Math.floor(seed)) % modulus;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % modulus;
    return state / modulus;
  };
}

const WORDS = ('the a of to and in is for on with that by this be are from at as it or an your was which can our we ' +
  'invoice order customer refund shipping product account policy claim ticket summary answer search result document ' +
  'page section contract clause risk payment status update request question context retrieval ranking model latency ' +
  'classify extract route label intent entity date amount address priority escalate resolve billing cost team').split(' ');

function text(rand: () => number, chars: number): string {
  const out: string[] = [];
  let length = 0;
  while (length < chars) {
    const word = WORDS[Math.floor(rand() * WORDS.length)];
    out.push(word);
    length += word.length + 1;
  }
  return out.join(' ');
}

/** The record Bedrock writes for a call. */
export function logRecord(call: SampleCall, rand: () => number = random(1)): Record<string, unknown> {
  const prompt = text(rand, call.promptChars ?? 400);
  const answer = text(rand, Math.min(2000, Math.max(20, call.outputTokens * 4)));
  const anthropic = call.modelId.includes('anthropic');
  const inputBodyJson = call.operation.startsWith('Converse')
    ? { messages: [{ role: 'user', content: [{ text: prompt }] }], inferenceConfig: { maxTokens: 4096 }, system: [{ text: 'You are a helpful assistant.' }] }
    : anthropic
      ? { anthropic_version: 'bedrock-2023-05-31', max_tokens: 4096, messages: [{ role: 'user', content: prompt }] }
      : { inputText: prompt, textGenerationConfig: { maxTokenCount: 4096 } };
  const usage = { inputTokens: call.inputTokens, outputTokens: call.outputTokens, totalTokens: call.inputTokens + call.outputTokens };
  let outputBodyJson: unknown;
  if (STREAMING.has(call.operation)) {
    const pieces = answer.match(/.{1,80}/g) ?? [answer];
    outputBodyJson = call.operation === 'ConverseStream'
      ? [
        { messageStart: { role: 'assistant' } },
        ...pieces.map((p) => ({ contentBlockDelta: { delta: { text: p }, contentBlockIndex: 0 } })),
        { contentBlockStop: { contentBlockIndex: 0 } },
        { messageStop: { stopReason: 'end_turn' } },
        { metadata: { usage, metrics: { latencyMs: 900 + Math.floor(rand() * 2000) } } },
      ]
      : [
        { type: 'message_start', message: { role: 'assistant', content: [] } },
        ...pieces.map((p) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: p } })),
        { 'type': 'message_stop', 'amazon-bedrock-invocationMetrics': { inputTokenCount: call.inputTokens, outputTokenCount: call.outputTokens } },
      ];
  } else {
    outputBodyJson = call.operation === 'Converse'
      ? { output: { message: { role: 'assistant', content: [{ text: answer }] } }, stopReason: 'end_turn', usage, metrics: { latencyMs: 700 + Math.floor(rand() * 2000) } }
      : { id: `msg_${Math.floor(rand() * 1e12)}`, type: 'message', role: 'assistant', content: [{ type: 'text', text: answer }], stop_reason: 'end_turn' };
  }
  const input: Record<string, unknown> = {
    inputContentType: 'application/json',
    inputBodyJson,
    inputTokenCount: call.inputTokens,
  };
  if (call.cacheReadTokens !== undefined) {
    input.cacheReadInputTokenCount = call.cacheReadTokens;
  }
  if (call.cacheWriteTokens !== undefined) {
    input.cacheWriteInputTokenCount = call.cacheWriteTokens;
  }
  const record: Record<string, unknown> = {
    schemaType: 'ModelInvocationLog',
    schemaVersion: '1.0',
    timestamp: call.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    accountId: ACCOUNT,
    identity: { arn: call.identityArn },
    region: REGION,
    requestId: randomUUIDFrom(rand),
    operation: call.operation,
    modelId: call.modelId,
    input,
    output: {
      outputContentType: call.operation.endsWith('Stream') ? 'application/vnd.amazon.eventstream' : 'application/json',
      outputBodyJson,
      outputTokenCount: call.outputTokens,
    },
    inferenceRegion: call.inferenceRegion ?? 'us-east-2',
  };
  if (call.requestMetadata) {
    record.requestMetadata = call.requestMetadata;
  }
  return record;
}

function randomUUIDFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Options of the S3 layout. */
export interface LayoutOptions {
  /** The logging key prefix (none by default). */
  readonly keyPrefix?: string;
  readonly account?: string;
  readonly region?: string;
}

/** `<prefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH` for a time. */
export function hourFolder(root: string, time: Date, layout: LayoutOptions = {}): string {
  const iso = time.toISOString();
  const parts = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10), iso.slice(11, 13)];
  return path.join(root, ...(layout.keyPrefix ? layout.keyPrefix.split('/') : []), 'AWSLogs', layout.account ?? ACCOUNT,
    'BedrockModelInvocationLogs', layout.region ?? REGION, ...parts);
}

/**
 * Write the calls as gzipped JSON-lines files, one file per hour folder and at most `recordsPerFile` records,
 * plus, in the first hour folder, a large-body object under `data/` (not a log record: multi-line JSON) and,
 * under the account prefix, the permission-check object. Returns the log files written.
 */
export function writeLogs(root: string, calls: SampleCall[], layout: LayoutOptions = {}, recordsPerFile = 1000): string[] {
  const rand = random(42);
  const byHour = new Map<string, SampleCall[]>();
  for (const call of calls) {
    const folder = hourFolder(root, call.time, layout);
    byHour.set(folder, [...(byHour.get(folder) ?? []), call]);
  }
  const written: string[] = [];
  let first = true;
  for (const [folder, hourCalls] of [...byHour.entries()].sort()) {
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < hourCalls.length; i += recordsPerFile) {
      const chunk = hourCalls.slice(i, i + recordsPerFile);
      const stamp = chunk[0].time.toISOString().replace(/[-:]/g, '').slice(0, 13);
      const file = path.join(folder, `${stamp}Z_${String(i / recordsPerFile).padStart(4, '0')}${randomUUID().slice(0, 8)}.json.gz`);
      fs.writeFileSync(file, zlib.gzipSync(chunk.map((c) => JSON.stringify(logRecord(c, rand))).join('\n') + '\n'));
      written.push(file);
    }
    if (first) {
      fs.mkdirSync(path.join(folder, 'data'), { recursive: true });
      fs.writeFileSync(path.join(folder, 'data', `${randomUUID()}_input.json.gz`),
        zlib.gzipSync(JSON.stringify({ messages: [{ role: 'user', content: [{ text: text(rand, 5000) }] }] }, null, 2)));
      first = false;
    }
  }
  const accountFolder = path.join(root, ...(layout.keyPrefix ? layout.keyPrefix.split('/') : []), 'AWSLogs', layout.account ?? ACCOUNT);
  fs.mkdirSync(accountFolder, { recursive: true });
  fs.writeFileSync(path.join(accountFolder, 'amazon-bedrock-logs-permission-check'), '');
  return written;
}

/** A workload of the random generator: who calls what, how often and with what shape. */
export interface WorkloadSpec {
  readonly modelId: string;
  readonly identityArn: string;
  readonly operations: SampleCall['operation'][];
  /** Calls per active hour. */
  readonly callsPerHour: number;
  /** Share of hours with traffic (1 = every hour). */
  readonly activeShare: number;
  readonly inputTokens: [number, number];
  readonly outputTokens: [number, number];
  /** Share of calls that read from the cache, and the cached prefix size. */
  readonly cacheReadShare?: number;
  readonly cachedPrefixTokens?: number;
  readonly requestMetadata?: Record<string, string>;
}

/** Draw calls for the workloads over `hours` hours ending at `end`. */
export function randomCalls(workloads: WorkloadSpec[], hours: number, end: Date, seed = 7): SampleCall[] {
  const rand = random(seed);
  const between = ([lo, hi]: [number, number]) => lo + Math.floor(rand() * (hi - lo + 1));
  const calls: SampleCall[] = [];
  const startHour = Math.floor(end.getTime() / 3_600_000) - hours;
  for (let h = 0; h < hours; h++) {
    for (const w of workloads) {
      if (rand() >= w.activeShare) {
        continue;
      }
      for (let c = 0; c < w.callsPerHour; c++) {
        const reads = w.cacheReadShare !== undefined && rand() < w.cacheReadShare;
        const writes = w.cacheReadShare !== undefined && !reads;
        calls.push({
          time: new Date((startHour + h) * 3_600_000 + Math.floor(rand() * 3_600_000)),
          operation: w.operations[Math.floor(rand() * w.operations.length)],
          modelId: w.modelId,
          identityArn: w.identityArn,
          inputTokens: between(w.inputTokens),
          outputTokens: between(w.outputTokens),
          cacheReadTokens: w.cacheReadShare === undefined ? undefined : reads ? w.cachedPrefixTokens ?? 0 : 0,
          cacheWriteTokens: w.cacheReadShare === undefined ? undefined : writes ? w.cachedPrefixTokens ?? 0 : 0,
          requestMetadata: w.requestMetadata,
        });
      }
    }
  }
  return calls.sort((a, b) => a.time.getTime() - b.time.getTime());
}

/** Statistics of `generateLogs`. */
export interface GeneratedLogs {
  readonly records: number;
  readonly files: number;
  readonly bytes: number;
}

/**
 * Write about `targetBytes` of gzipped logs of a fixed mix of workloads (for the benchmark): hour by hour
 * backwards from `end`, streaming, so memory stays flat whatever the size.
 */
export function generateLogs(root: string, targetBytes: number, end: Date, profileArn: (name: string) => string): GeneratedLogs {
  const workloads: WorkloadSpec[] = [
    { modelId: profileArn('search-haiku'), identityArn: `arn:aws:iam::${ACCOUNT}:role/search-api`, operations: ['Converse', 'ConverseStream'], callsPerHour: 120, activeShare: 1, inputTokens: [800, 6000], outputTokens: [50, 600], cacheReadShare: 0.7, cachedPrefixTokens: 4096, requestMetadata: { workload: 'answer' } },
    { modelId: profileArn('search-sonnet'), identityArn: `arn:aws:iam::${ACCOUNT}:role/search-api`, operations: ['InvokeModel', 'InvokeModelWithResponseStream'], callsPerHour: 40, activeShare: 0.9, inputTokens: [2000, 20000], outputTokens: [100, 1500], requestMetadata: { workload: 'rerank' } },
    { modelId: profileArn('nightly-opus'), identityArn: `arn:aws:iam::${ACCOUNT}:role/nightly-batch`, operations: ['Converse'], callsPerHour: 30, activeShare: 1, inputTokens: [5000, 30000], outputTokens: [100, 400], cacheReadShare: 0.5, cachedPrefixTokens: 8000 },
    { modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0', identityArn: `arn:aws:iam::${ACCOUNT}:user/alice`, operations: ['Converse'], callsPerHour: 5, activeShare: 0.3, inputTokens: [500, 3000], outputTokens: [100, 800] },
    { modelId: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0', identityArn: `arn:aws:iam::${ACCOUNT}:role/etl`, operations: ['InvokeModel'], callsPerHour: 20, activeShare: 1, inputTokens: [300, 2000], outputTokens: [20, 200] },
  ];
  let records = 0;
  let files = 0;
  let bytes = 0;
  let seed = 1;
  let hourEnd = new Date(Math.floor(end.getTime() / 3_600_000) * 3_600_000);
  const rand = random(99);
  while (bytes < targetBytes) {
    const calls = randomCalls(workloads, 1, hourEnd, seed++);
    const folder = hourFolder(root, new Date(hourEnd.getTime() - 1), {});
    fs.mkdirSync(folder, { recursive: true });
    for (let i = 0; i < calls.length && bytes < targetBytes; i += 100) {
      const chunk = calls.slice(i, i + 100);
      const file = path.join(folder, `${String(files).padStart(7, '0')}.json.gz`);
      const body = zlib.gzipSync(chunk.map((c) => JSON.stringify(logRecord({ ...c, promptChars: 200 + Math.floor(rand() * 3000) }, rand))).join('\n') + '\n');
      fs.writeFileSync(file, body);
      records += chunk.length;
      files += 1;
      bytes += body.length;
    }
    hourEnd = new Date(hourEnd.getTime() - 3_600_000);
  }
  return { records, files, bytes };
}

/** The profile ARNs `generateLogs` is called with by the command and the benchmark (`search-haiku` -> `searchhaiku0`). */
export function benchProfileArn(name: string): string {
  return `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/${name.replace(/-/g, '').padEnd(12, '0').slice(0, 12)}`;
}

if (require.main === module) {
  const [dir, megabytes] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: tsx test/audit/log-generator.ts <dir> [megabytes]\n');
    process.exit(2);
  }
  const stats = generateLogs(dir, Number(megabytes ?? 10) * 1024 * 1024, new Date(), benchProfileArn);
  process.stdout.write(`${JSON.stringify(stats)}\n`);
}
