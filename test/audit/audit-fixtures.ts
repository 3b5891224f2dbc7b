/**
 * A governed app for the audit tests: two teams and an `InvocationLogQueries`, synthesized, with its named queries
 * resolved to the SQL Athena would run (profile ids as the test helpers model them after deployment), and a DuckDB
 * engine loaded with sample logs.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { SampleCall, writeLogs } from './log-generator';
import { InvocationLogQueries, InvocationLogQueriesProps, InvocationLogQuery } from '../../src/audit';
import { InvocationLogEngine, findLogFiles, loadDuckDb } from '../../src/audit/private/duckdb';
import { BedrockModel, CacheTtl, CrossRegionGeo, InferenceRouting } from '../../src/models';
import { Team } from '../../src/teams/team';
import { ACCOUNT, ENV, REGION, resolveIntrinsics, testApp } from '../helpers/cfn';

export interface GovernedApp {
  readonly stack: Stack;
  readonly template: Template;
  readonly queries: InvocationLogQueries;
  readonly search: Team;
  readonly nightly: Team;
  /** The deployed ARN of a team's profile for a model. */
  profileArn(team: Team, model: BedrockModel): string;
  /** The named query's SQL as deployed (tokens resolved). */
  sql(query: InvocationLogQuery): string;
}

/**
 * `search`: Claude Haiku 4.5 and Sonnet 4.5, cross-Region US, interactive. `nightly`: Claude Opus 4.5, global,
 * non-interactive, prompt cache written with the 1-hour TTL.
 */
export function governedApp(props: Partial<InvocationLogQueriesProps> = {}): GovernedApp {
  const stack = new Stack(testApp(), 'Audit', { env: ENV });
  const search = new Team(stack, 'Search', {
    teamName: 'search',
    costCenter: 'CC-1042',
    environment: 'prod',
    models: [BedrockModel.CLAUDE_HAIKU_4_5, BedrockModel.CLAUDE_SONNET_4_5],
    routing: InferenceRouting.crossRegion(CrossRegionGeo.US),
  });
  const nightly = new Team(stack, 'Nightly', {
    teamName: 'nightly',
    costCenter: 'CC-2001',
    environment: 'prod',
    interactive: false,
    models: [BedrockModel.CLAUDE_OPUS_4_5],
    routing: InferenceRouting.global(),
    caching: { expectedHitRatio: 0.8, cacheWriteTtl: CacheTtl.ONE_HOUR },
  });
  const bucket = new s3.Bucket(stack, 'LogBucket', { enforceSSL: true });
  const queries = new InvocationLogQueries(stack, 'Logs', { bucket, teams: [search, nightly], ...props });
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const profileArn = (team: Team, model: BedrockModel) =>
    resolveIntrinsics(stack.resolve(team.profile(model).inferenceProfileArn), json);
  const sql = (query: InvocationLogQuery) => {
    const resource = Object.entries<any>(template.findResources('AWS::Athena::NamedQuery'))
      .find(([id]) => id.startsWith(`Logs${query}`));
    if (!resource) {
      throw new Error(`no named query ${query}`);
    }
    return resolveIntrinsics(resource[1].Properties.QueryString, json);
  };
  return { stack, template, queries, search, nightly, profileArn, sql };
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Now, rounded down to the hour (records are written at fixed offsets before it). */
export function thisHour(): Date {
  return new Date(Math.floor(Date.now() / HOUR) * HOUR);
}

export const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
export const user = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
export const modelArn = (modelId: string) => `arn:aws:bedrock:${REGION}::foundation-model/${modelId}`;

/** A folder of sample logs and an engine loaded with them; `close()` removes both. */
export interface LoadedLogs {
  readonly root: string;
  readonly engine: InvocationLogEngine;
  close(): void;
}

export async function loadLogs(calls: SampleCall[], layout: { keyPrefix?: string } = {}): Promise<LoadedLogs> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-bg-audit-'));
  writeLogs(root, calls, layout, 3);
  const engine = await InvocationLogEngine.open({ database: 'bedrock_invocation_logs', table: 'invocations', duckdb: loadDuckDb() });
  await engine.ingest(findLogFiles(root));
  return {
    root,
    engine,
    close: () => {
      engine.close();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
