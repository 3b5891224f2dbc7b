/**
 * `cdk-bedrock-governance report`, run in-process on generated logs: the JSON and text reports, the lever per team,
 * the progress bar, the message when DuckDB is missing, and command-line errors. One test runs `bin.ts` as a
 * process.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnParameter, Lazy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DAY, HOUR, thisHour } from './audit-fixtures';
import { ACCOUNT, REGION, SampleCall, writeLogs } from './log-generator';
import { BedrockGovernance, BedrockModel, CacheTtl, CrossRegionGeo, InferenceRouting, ModelTier } from '../../src';
import { ReportResult, SsmParameterReader, loadSsmReader, main } from '../../src/audit/cli';
import { DUCKDB_TESTED_VERSION, duckDbVersionWarning, findLogFiles, loadDuckDb } from '../../src/audit/private/duckdb';
import { hasOnlyStringTokens } from '../../src/audit/private/json-tokens';
import { ENV, cleanupOutdirs, testApp } from '../helpers/cfn';

const profile = (id: string) => `arn:aws:bedrock:${REGION}:${ACCOUNT}:application-inference-profile/${id}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const HAIKU = 'anthropic.claude-haiku-4-5-20251001-v1:0';
const SONNET = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
const OPUS = 'anthropic.claude-opus-4-5-20251101-v1:0';
const BASE = Date.parse('2026-03-02T00:00:00Z');

const MAPPING = {
  profiles: [
    { profile: profile('searchhaiku1'), team: 'search', modelId: HAIKU, routing: 'us' },
    { profile: 'searchsonnet', team: 'search', modelId: SONNET, routing: 'us' },
    { profile: profile('nightlyopus1'), team: 'nightly', modelId: OPUS, routing: 'global', interactive: false, cacheWriteTtl: '1h' },
    { profile: profile('reportsonnet'), team: 'reports', modelId: SONNET, routing: 'global', interactive: false },
  ],
};

/**
 * nightly: 60 Opus calls over 30 hours (10,000 in / 1,000 out: 0.075 each, 4.50), non-interactive: batch saves 2.25.
 * search: 10 Haiku US calls (100,000 in / 500 out: 0.11275 each) and 2 Sonnet US calls (1,000 / 100: 0.00495 each),
 *   no cache: 1.14; caching could save half of (1.11 - 0.11) = 0.50.
 * reports: 2 Sonnet global ConverseStream calls (1,000 in, 9,000 cache read, 2,000 out: 0.0357 each), non-interactive,
 *   90% cache hits: disable streaming.
 * 4 direct calls to the global Haiku profile (10,000 / 1,000: 0.015 each) and 1 call through an unmapped profile.
 */
function calls(): SampleCall[] {
  const out: SampleCall[] = [];
  for (let h = 0; h < 30; h++) {
    for (const minute of [5, 35]) {
      out.push({ time: new Date(BASE + h * HOUR + minute * 60_000), operation: 'Converse', modelId: profile('nightlyopus1'), identityArn: role('nightly'), inputTokens: 10_000, outputTokens: 1_000, cacheReadTokens: 0, cacheWriteTokens: 0 });
    }
  }
  for (let i = 0; i < 10; i++) {
    out.push({ time: new Date(BASE + i * 60_000), operation: 'Converse', modelId: profile('searchhaiku1'), identityArn: role('search-api'), inputTokens: 100_000, outputTokens: 500, requestMetadata: { workload: 'answer' } });
  }
  for (let i = 0; i < 2; i++) {
    out.push({ time: new Date(BASE + HOUR + i * 60_000), operation: 'InvokeModel', modelId: profile('searchsonnet'), identityArn: role('search-api'), inputTokens: 1_000, outputTokens: 100, requestMetadata: { workload: 'route' } });
    out.push({ time: new Date(BASE + i * HOUR + 120_000), operation: 'ConverseStream', modelId: profile('reportsonnet'), identityArn: role('reports'), inputTokens: 1_000, cacheReadTokens: 9_000, cacheWriteTokens: 0, outputTokens: 2_000 });
  }
  for (let i = 0; i < 4; i++) {
    out.push({ time: new Date(BASE + 2 * HOUR + i * 60_000), operation: 'Converse', modelId: `global.${HAIKU}`, identityArn: `arn:aws:iam::${ACCOUNT}:user/bob`, inputTokens: 10_000, outputTokens: 1_000 });
  }
  out.push({ time: new Date(BASE + 3 * HOUR), operation: 'Converse', modelId: profile('unknown00001'), identityArn: role('other'), inputTokens: 100, outputTokens: 10 });
  return out;
}

let root: string;
let mappingFile: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-cli-'));
  writeLogs(path.join(root, 'logs'), calls(), { keyPrefix: 'bedrock' }, 7);
  mappingFile = path.join(root, 'mapping.json');
  fs.writeFileSync(mappingFile, JSON.stringify(MAPPING));
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

class Capture {
  public text = '';
  constructor(public readonly isTTY = false, public readonly columns = 100) {}
  public write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

async function run(args: string[], options: { tty?: boolean; loadDuckDb?: () => any; loadSsm?: () => SsmParameterReader | undefined } = {}) {
  const stdout = new Capture();
  const stderr = new Capture(options.tty ?? false);
  const code = await main(args, { stdout, stderr, loadDuckDb: options.loadDuckDb, loadSsm: options.loadSsm });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('cdk-bedrock-governance report', () => {
  test('JSON: top workloads, cost per team and the lever each team should pull', async () => {
    const { code, stdout, stderr } = await run(['report', path.join(root, 'logs'), '--mapping', mappingFile, '--json']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const files = findLogFiles(path.join(root, 'logs'));
    const result: ReportResult = JSON.parse(stdout);
    expect({ ...result, topWorkloads: undefined, teams: undefined, principals: undefined }).toEqual({
      records: 79,
      files: files.length,
      bytes: files.reduce((s, f) => s + f.bytes, 0),
      firstHour: '2026/03/02/00',
      lastHour: '2026/03/03/05',
      window: 'every record in the folder',
      pricesAsOf: '2026-11-23',
      unpricedRequests: 1,
    });
    const top = result.topWorkloads.map((w) => [
      w.team, w.profile_or_model, w.model_name, w.identity_arn, w.metadata_workload, w.requests, w.cost_usd,
    ]);
    expect(top).toEqual([
      ['nightly', 'nightlyopus1', 'Claude Opus 4.5', role('nightly'), null, 60, 4.5],
      ['search', 'searchhaiku1', 'Claude Haiku 4.5', role('search-api'), 'answer', 10, 1.13],
      ['reports', 'reportsonnet', 'Claude Sonnet 4.5', role('reports'), null, 2, 0.07],
    ]);
    expect(result.teams).toEqual([
      { team: 'nightly', requests: 60, costUsd: 4.5, cacheHitRatio: 0, streamingShare: 0, interactive: false, lever: { lever: 'batch inference', estimatedSavingsUsd: 2.25, detail: 'steady traffic nobody waits on: move it to batch inference (50% off on-demand)' } },
      { team: 'search', requests: 12, costUsd: 1.14, cacheHitRatio: 0, streamingShare: 0, interactive: true, lever: { lever: 'prompt caching', estimatedSavingsUsd: 0.5, detail: 'low cache hit ratio: put the stable prefix first and cache it (estimate assumes half the uncached input becomes cache reads)' } },
      { team: 'reports', requests: 2, costUsd: 0.07, cacheHitRatio: 0.9, streamingShare: 1, interactive: false, lever: { lever: 'disable streaming', detail: 'a non-interactive team streams: call Converse/InvokeModel instead' } },
      { team: '(direct call)', requests: 4, costUsd: 0.06, cacheHitRatio: 0, streamingShare: 0, interactive: null, lever: { lever: 'route through profiles', detail: 'calls bypass application inference profiles: grant the callers a team and call its profile' } },
      { team: '(unmapped profile)', requests: 1, costUsd: null, cacheHitRatio: 0, streamingShare: 0, interactive: null, lever: { lever: 'map the profiles', detail: 'calls go through profiles the mapping does not know: add them to --mapping to price them' } },
    ]);
    // the principal view: the same callers and figures as the header comment (search 10 x 0.11275 + 2 x 0.00495 = 1.1374)
    expect(result.principals.map((p) => [p.team, p.identity_arn, p.role_name, p.call_kind, p.requests, p.cost_usd])).toEqual([
      ['(direct call)', `arn:aws:iam::${ACCOUNT}:user/bob`, null, 'system inference profile', 4, 0.06],
      ['(unmapped profile)', role('other'), 'other', 'application inference profile', 1, null],
      ['nightly', role('nightly'), 'nightly', 'application inference profile', 60, 4.5],
      ['reports', role('reports'), 'reports', 'application inference profile', 2, 0.07],
      ['search', role('search-api'), 'search-api', 'application inference profile', 12, 1.14],
    ]);
  });

  test('text report', async () => {
    const { code, stdout } = await run(['report', path.join(root, 'logs'), '--mapping', mappingFile]);
    expect(code).toBe(0);
    const files = findLogFiles(path.join(root, 'logs'));
    const mb = (files.reduce((s, f) => s + f.bytes, 0) / 1024 / 1024).toFixed(1);
    expect(stdout).toEqual(`Bedrock invocation-log report (cdk-bedrock-governance)
  79 records from ${files.length} files (${mb} MB), hours 2026/03/02/00 to 2026/03/03/05 UTC; every record in the folder; prices as of 2026-11-23

Top 3 workloads by cost
  #   cost  requests  team     profile/model                     identity         workload
  1  $4.50        60  nightly  nightlyopus1 (Claude Opus 4.5)    role/nightly     -
  2  $1.13        10  search   searchhaiku1 (Claude Haiku 4.5)   role/search-api  answer
  3  $0.07         2  reports  reportsonnet (Claude Sonnet 4.5)  role/reports     -

Cost per team, and the lever to pull
  team                requests      cost  cache hit  streaming  lever                   est. savings
  nightly                   60     $4.50       0.0%       0.0%  batch inference                $2.25
  search                    12     $1.14       0.0%       0.0%  prompt caching                 $0.50
  reports                    2     $0.07      90.0%     100.0%  disable streaming                  -
  (direct call)              4     $0.06       0.0%       0.0%  route through profiles             -
  (unmapped profile)         1  unpriced       0.0%       0.0%  map the profiles                   -

  nightly: batch inference - steady traffic nobody waits on: move it to batch inference (50% off on-demand)
  search: prompt caching - low cache hit ratio: put the stable prefix first and cache it (estimate assumes half the uncached input becomes cache reads)
  reports: disable streaming - a non-interactive team streams: call Converse/InvokeModel instead
  (direct call): route through profiles - calls bypass application inference profiles: grant the callers a team and call its profile
  (unmapped profile): map the profiles - calls go through profiles the mapping does not know: add them to --mapping to price them

Cost per IAM identity within each team (compare with the bill's principal view: AttributionQueries CostPerPrincipal)
  team                identity         role        calls to                       requests      cost
  (direct call)       user/bob         -           system inference profile              4     $0.06
  (unmapped profile)  role/other       other       application inference profile         1  unpriced
  nightly             role/nightly     nightly     application inference profile        60     $4.50
  reports             role/reports     reports     application inference profile         2     $0.07
  search              role/search-api  search-api  application inference profile        12     $1.14

1 requests are unpriced (models outside the catalogue, profiles missing from --mapping, provisioned throughput).
`);
  });

  test('without a mapping every profile call is unmapped; --top and --metadata-key', async () => {
    const { code, stdout } = await run(['report', path.join(root, 'logs'), '--json', '--top', '1', '--metadata-key', 'workload', '--metadata-key', 'tenant']);
    expect(code).toBe(0);
    const result: ReportResult = JSON.parse(stdout);
    expect(result.teams.map((t) => [t.team, t.requests, t.costUsd])).toEqual([['(direct call)', 4, 0.06], ['(unmapped profile)', 75, null]]);
    expect(result.unpricedRequests).toBe(75);
    expect(result.topWorkloads).toHaveLength(1);
    expect(Object.keys(result.topWorkloads[0])).toEqual(expect.arrayContaining(['metadata_workload', 'metadata_tenant']));
  });

  test('--days keeps the records of the last days only, as the named queries do', async () => {
    const recent = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-cli-days-'));
    try {
      const now = thisHour().getTime();
      writeLogs(recent, [
        { time: new Date(now - 2 * DAY), operation: 'Converse', modelId: `global.${HAIKU}`, identityArn: role('a'), inputTokens: 1_000_000, outputTokens: 0 },
        { time: new Date(now - 40 * DAY), operation: 'Converse', modelId: `global.${HAIKU}`, identityArn: role('a'), inputTokens: 9_000_000, outputTokens: 0 },
      ]);
      const all: ReportResult = JSON.parse((await run(['report', recent, '--json'])).stdout);
      const month: ReportResult = JSON.parse((await run(['report', recent, '--json', '--days', '30'])).stdout);
      expect(all.teams.map((t) => t.costUsd)).toEqual([10]);
      expect(month.teams.map((t) => t.costUsd)).toEqual([1]);
      expect(month.window).toEqual('records of the last 30 days');
    } finally {
      fs.rmSync(recent, { recursive: true, force: true });
    }
  });

  test('a progress bar on stderr when it is a terminal, none otherwise', async () => {
    const tty = await run(['report', path.join(root, 'logs'), '--json'], { tty: true });
    const files = findLogFiles(path.join(root, 'logs')).length;
    expect(tty.stderr.startsWith(`\rLoading logs [${'-'.repeat(40)}]   0% 0/${files} files, 0.0 MB`)).toBe(true);
    expect(tty.stderr).toMatch(new RegExp(`\\rLoading logs \\[${'#'.repeat(40)}\\] 100% ${files}/${files} files, \\d+\\.\\d MB\\n$`));
    const pipe = await run(['report', path.join(root, 'logs'), '--json']);
    expect(pipe.stderr).toEqual('');
  });

  test('DuckDB missing: a clear message to install it', async () => {
    const missing = () => loadDuckDb(() => {
      throw Object.assign(new Error("Cannot find module '@duckdb/node-api'\nRequire stack:\n- /x/cli.js"), { code: 'MODULE_NOT_FOUND' });
    });
    expect(await run(['report', path.join(root, 'logs')], { loadDuckDb: missing })).toEqual({
      code: 1,
      stdout: '',
      stderr: "The report command runs the invocation-log queries on DuckDB, which is not installed: run `npm install --no-save @duckdb/node-api@1.5.6-r.1` (the tested version; it is an optional companion of cdk-bedrock-governance, not a dependency) and try again. (Cannot find module '@duckdb/node-api')\n",
    });
  });

  test('DuckDB: the tested version is the one this project tests with, and another engine series gets a warning', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
    expect(pkg.devDependencies['@duckdb/node-api']).toBe(DUCKDB_TESTED_VERSION);
    expect(duckDbVersionWarning(loadDuckDb())).toBeUndefined();
    const other = () => ({ ...loadDuckDb(), version: () => 'v1.6.0' });
    const result = await run(['report', path.join(root, 'logs'), '--json'], { loadDuckDb: other });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('warning: DuckDB v1.6.0 is installed; the report is tested with @duckdb/node-api@1.5.6-r.1 (DuckDB v1.5.x). '
      + 'If a query fails, run `npm install --no-save @duckdb/node-api@1.5.6-r.1`\n');
  });

  test('an s3:// URI: how to make the local copy', async () => {
    expect(await run(['report', 's3://my-logs/bedrock/AWSLogs/111122223333/'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "The report reads a local copy of the logs. Download them first (the data/ folders hold large request bodies, not records):\n  aws s3 sync s3://my-logs/bedrock/AWSLogs/111122223333/ ./bedrock-logs --exclude '*/data/*'\n  npx cdk-bedrock-governance report ./bedrock-logs\n",
    });
  });

  test('command-line errors', async () => {
    const usage = (await run(['--help'])).stdout;
    expect(usage.startsWith('Usage: cdk-bedrock-governance report <dir | s3://bucket/prefix> [options]\n')).toBe(true);
    expect(await run([])).toEqual({ code: 2, stdout: '', stderr: `error: no command given\n\n${usage}` });
    expect(await run(['audit', '.'])).toEqual({ code: 2, stdout: '', stderr: `error: unknown command 'audit'\n\n${usage}` });
    expect((await run(['report'])).stderr.split('\n')[0]).toEqual('error: no log folder given');
    expect((await run(['report', '.', '--days', 'ten'])).stderr.split('\n')[0]).toEqual("error: --days takes a whole number of at least 1 (got 'ten')");
    expect((await run(['report', '.', '--top'])).stderr.split('\n')[0]).toEqual('error: --top needs a value');
    expect((await run(['report', '.', '--colour'])).stderr.split('\n')[0]).toEqual('error: unknown option --colour');
    expect((await run(['report', 'a', 'b'])).stderr.split('\n')[0]).toEqual("error: more than one source given ('a', 'b')");
    expect(await run(['report', path.join(root, 'nowhere')])).toEqual({ code: 1, stdout: '', stderr: `error: ${path.join(root, 'nowhere')} is not a folder\n` });
    expect(await run(['report', root, '--mapping', path.join(root, 'none.json')])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: cannot read the mapping file .*none\.json: ENOENT/) });
    const bad = path.join(root, 'bad-mapping.json');
    fs.writeFileSync(bad, JSON.stringify({ profiles: [{ profile: 'p1', team: 't', modelId: 'meta.llama3-70b-instruct-v1:0' }] }));
    expect(await run(['report', root, '--mapping', bad])).toEqual({ code: 2, stdout: '', stderr: "error: profiles[0].modelId 'meta.llama3-70b-instruct-v1:0' is neither in the catalogue nor in \"models\"\n" });
    fs.writeFileSync(bad, JSON.stringify({ profiles: [{ profile: 'p1', team: 't', modelId: HAIKU, routing: 'mars' }] }));
    expect((await run(['report', root, '--mapping', bad])).stderr).toEqual('error: profiles[0].routing must be one of in-region, global, us, eu, apac, jp, au, us-gov (got "mars")\n');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-cli-empty-'));
    try {
      expect(await run(['report', empty])).toEqual({ code: 1, stdout: '', stderr: `error: no invocation-log files (*.json.gz) under ${empty}\n` });
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  test('a custom model from the mapping file prices its calls', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-cli-models-'));
    try {
      writeLogs(dir, [{ time: new Date(BASE), operation: 'Converse', modelId: profile('llamaprofile'), identityArn: role('x'), inputTokens: 1_000_000, outputTokens: 1_000_000 }]);
      const file = path.join(dir, 'mapping.json');
      fs.writeFileSync(file, JSON.stringify({
        profiles: [{ profile: 'llamaprofile', team: 'lab', modelId: 'meta.llama3-70b-instruct-v1:0', routing: 'in-region' }],
        models: [{ modelId: 'meta.llama3-70b-instruct-v1:0', provider: 'Meta', tier: 'STANDARD', pricing: { inputUsdPerMillionTokens: 2.65, outputUsdPerMillionTokens: 3.5 }, pricesAsOf: '2026-01-15' }],
      }));
      const result: ReportResult = JSON.parse((await run(['report', dir, '--mapping', file, '--json'])).stdout);
      expect(result.teams.map((t) => [t.team, t.costUsd])).toEqual([['lab', 6.15]]);
      expect(result.pricesAsOf).toEqual('2026-01-15, 2026-11-23');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bin.ts runs the command line and sets the exit code', () => {
    const tsx = path.resolve(__dirname, '../../node_modules/.bin/tsx');
    const bin = path.resolve(__dirname, '../../src/audit/bin.ts');
    const help = spawnSync(tsx, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout.startsWith('Usage: cdk-bedrock-governance report')).toBe(true);
    const wrong = spawnSync(tsx, [bin, 'report'], { encoding: 'utf8' });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.startsWith('error: no log folder given')).toBe(true);
  });
});

/**
 * The SSM parameters a governed app publishes, as deployed: the teams of MAPPING, each profile id (a token until
 * deploy) replaced by the id the generated logs use.
 */
function publishedMapping(): { path: string; values: string[] } {
  const stack = new Stack(testApp(), 'S', { env: ENV });
  const gov = new BedrockGovernance(stack, 'Gov', { profileNamePrefix: 'prod-' });
  gov.addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US) });
  gov.addTeam('nightly', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_OPUS_4_5], routing: InferenceRouting.global(), interactive: false, caching: { expectedHitRatio: 0.5, cacheWriteTtl: CacheTtl.ONE_HOUR } });
  gov.addTeam('reports', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.CLAUDE_SONNET_4_5], routing: InferenceRouting.global(), interactive: false });
  const template = Template.fromStack(stack);
  const deployedIds: Record<string, string> = { searchclaudehaiku45: 'searchhaiku1', searchclaudesonnet45: 'searchsonnet', nightlyclaudeopus45: 'nightlyopus1', reportsclaudesonnet45: 'reportsonnet' };
  const resolve = (v: any): string => {
    if (typeof v === 'string') {
      return v;
    }
    if (v['Fn::Join']) {
      return v['Fn::Join'][1].map(resolve).join(v['Fn::Join'][0]);
    }
    const [logicalId, attribute] = v['Fn::GetAtt'];
    expect(attribute).toBe('InferenceProfileId');
    const key = Object.keys(deployedIds).find((k) => logicalId.startsWith(`Gov${k}`));
    return deployedIds[key!];
  };
  const parameters = Object.values(template.findResources('AWS::SSM::Parameter'))
    .filter((r) => String(r.Properties.Name).startsWith('/bedrock-governance/prod-profile-mapping/'));
  expect(parameters.map((r) => r.Properties.Name).sort()).toEqual([
    '/bedrock-governance/prod-profile-mapping/nightly', '/bedrock-governance/prod-profile-mapping/reports', '/bedrock-governance/prod-profile-mapping/search',
  ]);
  expect(gov.profileMappingPath).toBe('/bedrock-governance/prod-profile-mapping');
  return { path: gov.profileMappingPath, values: parameters.map((r) => resolve(r.Properties.Value)) };
}

/** The values of MAPPING's teams as earlier versions of the library published them: one object per profile. */
const VERSION_1_VALUES = [
  `{"profiles":[{"profile":"searchhaiku1","team":"search","modelId":"${HAIKU}","routing":"us","interactive":true,"cacheWriteTtl":"5m"},{"profile":"searchsonnet","team":"search","modelId":"${SONNET}","routing":"us","interactive":true,"cacheWriteTtl":"5m"}]}`,
  `{"profiles":[{"profile":"nightlyopus1","team":"nightly","modelId":"${OPUS}","routing":"global","interactive":false,"cacheWriteTtl":"1h"}]}`,
  `{"profiles":[{"profile":"reportsonnet","team":"reports","modelId":"${SONNET}","routing":"global","interactive":false,"cacheWriteTtl":"5m"}]}`,
];

describe('report --mapping-parameter: the mapping the app publishes in SSM', () => {
  afterAll(cleanupOutdirs);

  test('each team publishes one version 2 document: its fields once, then each profile\'s id and model', () => {
    expect(publishedMapping().values.sort()).toEqual([
      `{"version":2,"team":"nightly","routing":"global","interactive":false,"cacheWriteTtl":"1h","profiles":[{"profile":"nightlyopus1","modelId":"${OPUS}"}]}`,
      `{"version":2,"team":"reports","routing":"global","interactive":false,"cacheWriteTtl":"5m","profiles":[{"profile":"reportsonnet","modelId":"${SONNET}"}]}`,
      `{"version":2,"team":"search","routing":"us","interactive":true,"cacheWriteTtl":"5m","profiles":[{"profile":"searchhaiku1","modelId":"${HAIKU}"},{"profile":"searchsonnet","modelId":"${SONNET}"}]}`,
    ]);
  });

  test('the published mapping gives the same report as the hand-written mapping file', async () => {
    const { path: parameterPath, values } = publishedMapping();
    const asked: string[] = [];
    const reader = { valuesByPath: async (p: string) => { asked.push(p); return values; } };
    const fromSsm = await run(['report', path.join(root, 'logs'), '--json', '--mapping-parameter', parameterPath], { loadSsm: () => reader });
    const fromFile = await run(['report', path.join(root, 'logs'), '--json', '--mapping', mappingFile]);
    expect(asked).toEqual(['/bedrock-governance/prod-profile-mapping']);
    expect(fromSsm.code).toBe(0);
    expect(JSON.parse(fromSsm.stdout)).toEqual(JSON.parse(fromFile.stdout));
    // the AWS CLI prints the values as a JSON list of strings: --mapping reads that file too
    const saved = path.join(root, 'profile-mapping.json');
    fs.writeFileSync(saved, JSON.stringify(values));
    const fromCli = await run(['report', path.join(root, 'logs'), '--json', '--mapping', saved]);
    expect(JSON.parse(fromCli.stdout)).toEqual(JSON.parse(fromFile.stdout));
  });

  test('parameters published by earlier versions (version 1), alone or beside version 2 ones, give the same report', async () => {
    const fromFile = JSON.parse((await run(['report', path.join(root, 'logs'), '--json', '--mapping', mappingFile])).stdout);
    const report = async (values: string[]) => {
      const result = await run(['report', path.join(root, 'logs'), '--json', '--mapping-parameter', '/p'], { loadSsm: () => ({ valuesByPath: async () => values }) });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      return JSON.parse(result.stdout);
    };
    expect(await report(VERSION_1_VALUES)).toEqual(fromFile);
    // a path where some teams' stacks were deployed before the upgrade and some after
    const published = publishedMapping().values;
    const search = published.find((v) => v.includes('"team":"search"'))!;
    expect(await report([search, VERSION_1_VALUES[1], VERSION_1_VALUES[2]])).toEqual(fromFile);
    // both saved by the AWS CLI to one file for --mapping
    const saved = path.join(root, 'profile-mapping-mixed.json');
    fs.writeFileSync(saved, JSON.stringify([VERSION_1_VALUES[0], ...published.filter((v) => v !== search)]));
    expect(JSON.parse((await run(['report', path.join(root, 'logs'), '--json', '--mapping', saved])).stdout)).toEqual(fromFile);
  });

  test('a hand-written version 2 file: team fields it leaves out take their defaults, and a profile may name any team field', async () => {
    const fromFile = JSON.parse((await run(['report', path.join(root, 'logs'), '--json', '--mapping', mappingFile])).stdout);
    const file = path.join(root, 'mapping-v2.json');
    fs.writeFileSync(file, JSON.stringify([
      { version: 2, team: 'search', routing: 'us', profiles: [{ profile: profile('searchhaiku1'), modelId: HAIKU }, { profile: 'searchsonnet', modelId: SONNET }] },
      {
        version: 2,
        team: 'nightly',
        routing: 'global',
        interactive: false,
        profiles: [
          { profile: profile('nightlyopus1'), modelId: OPUS, cacheWriteTtl: '1h' },
          { profile: profile('reportsonnet'), modelId: SONNET, team: 'reports' },
        ],
      },
    ]));
    expect(JSON.parse((await run(['report', path.join(root, 'logs'), '--json', '--mapping', file])).stdout)).toEqual(fromFile);
    // one document, not in a list
    fs.writeFileSync(file, JSON.stringify({ version: 2, team: 'search', routing: 'us', profiles: [{ profile: 'searchhaiku1', modelId: HAIKU }] }));
    const one: ReportResult = JSON.parse((await run(['report', path.join(root, 'logs'), '--json', '--mapping', file])).stdout);
    expect(one.teams.find((t) => t.team === 'search')).toMatchObject({ requests: 10, interactive: true });
  });

  test('a document of another version is refused, with the fix; a version 2 profile is checked like a version 1 one', async () => {
    const file = path.join(root, 'mapping-v3.json');
    fs.writeFileSync(file, JSON.stringify({ version: 3, teams: [] }));
    expect(await run(['report', path.join(root, 'logs'), '--mapping', file])).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: the mapping file ${file} has "version": 3, which this cdk-bedrock-governance does not read (it reads 1 and 2): upgrade cdk-bedrock-governance to the version the app uses\n`,
    });
    const fromSsm = await run(['report', path.join(root, 'logs'), '--mapping-parameter', '/m'], { loadSsm: () => ({ valuesByPath: async () => [VERSION_1_VALUES[0], '{"version":"2","profiles":[]}'] }) });
    expect(fromSsm).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: the SSM parameters under /m: item 1 has "version": "2", which this cdk-bedrock-governance does not read (it reads 1 and 2): upgrade cdk-bedrock-governance to the version the app uses\n',
    });
    fs.writeFileSync(file, JSON.stringify({ version: 2, routing: 'us', profiles: [{ profile: 'p1', modelId: HAIKU }] }));
    expect((await run(['report', path.join(root, 'logs'), '--mapping', file])).stderr).toBe('error: profiles[0] needs "profile" (id or ARN), "team" and "modelId"\n');
    fs.writeFileSync(file, JSON.stringify({ version: 2, team: 't', routing: 'us', profiles: [{ profile: 'p1', modelId: HAIKU, routing: 'mars' }] }));
    expect((await run(['report', path.join(root, 'logs'), '--mapping', file])).stderr).toBe('error: profiles[0].routing must be one of in-region, global, us, eu, apac, jp, au, us-gov (got "mars")\n');
    fs.writeFileSync(file, JSON.stringify({ version: 2, team: 't' }));
    expect((await run(['report', path.join(root, 'logs'), '--mapping', file])).stderr).toBe(`error: the mapping file ${file} has no "profiles" list\n`);
  });

  test('without the AWS SDK: the exact AWS CLI command to run instead', async () => {
    expect(await run(['report', path.join(root, 'logs'), '--mapping-parameter', '/bedrock-governance/prod-profile-mapping'], { loadSsm: () => undefined })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Reading /bedrock-governance/prod-profile-mapping needs the AWS SDK for JavaScript (npm install --no-save @aws-sdk/client-ssm), which is not installed. '
        + 'With the AWS CLI instead:\n'
        + "  aws ssm get-parameters-by-path --path '/bedrock-governance/prod-profile-mapping' --recursive --query 'Parameters[].Value' --output json > profile-mapping.json\n"
        + 'then pass --mapping profile-mapping.json\n',
    });
  });

  test('an SDK error and an empty path are reported; both mapping options at once are refused', async () => {
    const failing = { valuesByPath: async () => { throw new Error('ExpiredTokenException: the security token has expired'); } };
    const failed = await run(['report', path.join(root, 'logs'), '--mapping-parameter', '/m'], { loadSsm: () => failing });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('error: cannot read the SSM parameters under /m: ExpiredTokenException: the security token has expired. With the AWS CLI instead:');
    const empty = await run(['report', path.join(root, 'logs'), '--mapping-parameter', '/m'], { loadSsm: () => ({ valuesByPath: async () => [] }) });
    expect(empty).toEqual({ code: 1, stdout: '', stderr: "error: no SSM parameters under /m in the Region of your AWS configuration. Pass your app's BedrockGovernance.profileMappingPath (e.g. /bedrock-governance/prod-profile-mapping) and set AWS_REGION to the app's Region\n" });
    const both = await run(['report', path.join(root, 'logs'), '--mapping', mappingFile, '--mapping-parameter', '/m']);
    expect(both.code).toBe(2);
    expect(both.stderr.split('\n')[0]).toBe('error: --mapping and --mapping-parameter both give the mapping: pass one');
  });

  test('the SDK reader reads every page, recursively', async () => {
    const sent: any[] = [];
    const sdk = {
      SSMClient: class { public async send(command: any) { sent.push(command.input); return command.input.NextToken ? { Parameters: [{ Value: 'b' }] } : { Parameters: [{ Value: 'a' }], NextToken: 't1' }; } },
      GetParametersByPathCommand: class { constructor(public readonly input: any) {} },
    };
    const reader = loadSsmReader(() => sdk)!;
    expect(await reader.valuesByPath('/p')).toEqual(['a', 'b']);
    expect(sent).toEqual([{ Path: '/p', Recursive: true, NextToken: undefined }, { Path: '/p', Recursive: true, NextToken: 't1' }]);
    expect(loadSsmReader(() => { throw Object.assign(new Error("Cannot find module '@aws-sdk/client-ssm'"), { code: 'MODULE_NOT_FOUND' }); })).toBeUndefined();
  });

  test('the mapping is JSON with the profile ids joined in', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    new BedrockGovernance(stack, 'Gov', {}).addTeam('search', {
      costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE, BedrockModel.CLAUDE_HAIKU_4_5], routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
    });
    const parameter = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))
      .find((r) => r.Properties.Name === '/bedrock-governance/profile-mapping/search')!;
    expect(parameter.Properties).toEqual({
      Name: '/bedrock-governance/profile-mapping/search',
      Description: 'Bedrock profiles of team search, read by cdk-bedrock-governance report --mapping-parameter',
      Type: 'String',
      Tier: 'Standard',
      Value: {
        'Fn::Join': ['', [
          '{"version":2,"team":"search","routing":"us","interactive":true,"cacheWriteTtl":"5m","profiles":[{"profile":"',
          { 'Fn::GetAtt': [expect.stringMatching(/^Govsearchnovalite/), 'InferenceProfileId'] },
          `","modelId":"${BedrockModel.NOVA_LITE.modelId}"},{"profile":"`,
          { 'Fn::GetAtt': [expect.stringMatching(/^Govsearchclaudehaiku45/), 'InferenceProfileId'] },
          `","modelId":"${HAIKU}"}]}`,
        ]],
      },
    });
  });

  test('the tier follows the deployed length (profile ids counted at 12 characters): Standard to 4,096, Advanced to 8,192, then an error', () => {
    const published = (models: number) => {
      const stack = new Stack(testApp(), 'S', { env: ENV });
      new BedrockGovernance(stack, 'Gov', {}).addTeam('lab', {
        costCenter: 'CC-1',
        environment: 'prod',
        models: Array.from({ length: models }, (_, i) => BedrockModel.custom({
          modelId: `acme.model-${String(i).padStart(2, '0')}-v1:0`,
          provider: 'Acme',
          tier: ModelTier.STANDARD,
          pricing: { inputUsdPerMillionTokens: 1, outputUsdPerMillionTokens: 2 },
          pricesAsOf: '2026-01-15',
        })),
      });
      const parameter = Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))[0];
      const deployed: string = parameter.Properties.Value['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'abcdefghijkl')).join('');
      expect(JSON.parse(deployed)).toMatchObject({ version: 2, team: 'lab', profiles: expect.any(Array), models: expect.any(Array) });
      return { tier: parameter.Properties.Tier, length: deployed.length };
    };
    // each custom model adds a profile and a "models" entry
    expect([17, 18, 36].map((n) => { const { tier, length } = published(n); return [n, tier, length]; })).toEqual([
      [17, 'Standard', 3920],
      [18, 'Advanced', 4144],
      [36, 'Advanced', 8176],
    ]);
    expect(() => published(37)).toThrow("S/Gov/lab/ProfileMapping: the profile mapping of team 'lab' needs about 8400 characters, more than an SSM parameter holds (8192). Split the team's models across teams, or turn publishProfileMapping off and write the mapping file by hand");
  });

  test('plain JSON only where every token is a reference inside a string; anything else takes Stack.toJsonString', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const parameter = new CfnParameter(stack, 'P');
    expect(hasOnlyStringTokens({ profiles: [{ profile: `id-${parameter.valueAsString}`, interactive: true, n: 1 }] })).toBe(true);
    expect(hasOnlyStringTokens({ price: new CfnParameter(stack, 'N', { type: 'Number' }).valueAsNumber })).toBe(false);
    expect(hasOnlyStringTokens({ id: Lazy.string({ produce: () => 'x' }) })).toBe(false);
    expect(hasOnlyStringTokens({ ids: new CfnParameter(stack, 'L', { type: 'List<String>' }).valueAsList })).toBe(false);
    expect(hasOnlyStringTokens({ value: Lazy.any({ produce: () => ({}) }) })).toBe(false);
  });

  test('publishProfileMapping: false publishes nothing', () => {
    const stack = new Stack(testApp(), 'S', { env: ENV });
    new BedrockGovernance(stack, 'Gov', { publishProfileMapping: false })
      .addTeam('search', { costCenter: 'CC-1', environment: 'prod', models: [BedrockModel.NOVA_LITE] });
    expect(Object.values(Template.fromStack(stack).findResources('AWS::SSM::Parameter'))).toEqual([]);
  });
});

