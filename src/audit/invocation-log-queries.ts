import { Annotations, Duration, Lazy, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { InvocationLogQuery } from './invocation-log-query';
import { BedrockModel } from '../models/bedrock-model';
import { grantQueryAccess, queryWorkGroup, QUERY_RESULTS_PREFIX, validateQueryName } from '../private/athena-workgroup';
import {
  AuditQuery, InvocationLogSqlOptions, LOG_FIELDS, LOG_HOUR_COLUMN, ProfileInput, buildAuditPricing, hiveType,
  metadataColumn, renderAuditQueries,
} from './private/sql';
import { GovernanceValidationError, invalidProp } from '../private/errors';
import { hardenedBucket, useBucketPolicyForAccessLogs } from '../private/hardened-bucket';
import { validateModel } from '../private/model-validation';
import { iam5ResourceFindingIds } from '../private/nag-ids';
import { isUnresolved } from '../private/validate';
import { Team } from '../teams/team';

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const ACCOUNT_PATTERN = /^\d{12}$/;
const REGION_PATTERN = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
/** Request-metadata keys as Bedrock accepts them, lower case only (see `requestMetadataKeys`). */
const METADATA_KEY_PATTERN = /^[a-z0-9\s:_@$#=/+,.-]{1,256}$/;
const MAX_METADATA_KEYS = 16;
/** Length of an application inference profile id, for the size estimate while the ids are tokens. */
const PROFILE_ID_LENGTH = 12;
/** Partition columns of a table over several accounts or Regions (a central archive). */
const LOG_ACCOUNT_COLUMN = 'log_account';
const LOG_REGION_COLUMN = 'log_region';
/**
 * Profiles past which the named queries make a large template: each profile adds about 0.8 KB (a row in each of
 * the eight queries, its id a `Fn::GetAtt`), and CloudFormation takes at most 1 MB.
 */
const TEMPLATE_WARNING_PROFILES = 600;

/** Settings of `InvocationLogQueries` that do not depend on the log bucket (as passed to the `BedrockGovernance` facade). */
export interface InvocationLogQueriesOptions {
  /**
   * More models to price calls with, besides the catalogue (`BedrockModel.catalogue()`). A model with the id of a
   * catalogue model replaces it (e.g. `BedrockModel.CLAUDE_SONNET_4_5.withPricing(negotiated)`). Each team's profiles
   * are priced with the team's own model objects whatever this list says.
   *
   * @default - the catalogue only
   */
  readonly models?: BedrockModel[];

  /**
   * The Glue database name: lower-case letters, digits and `_`, unique in the account and Region.
   *
   * @default 'bedrock_invocation_logs'
   */
  readonly databaseName?: string;

  /**
   * The Glue table name: lower-case letters, digits and `_`.
   *
   * @default 'invocations'
   */
  readonly tableName?: string;

  /**
   * The Athena workgroup name: letters, digits, `.`, `_` and `-`, unique in the account and Region.
   *
   * @default 'bedrock-invocation-logs'
   */
  readonly workGroupName?: string;

  /**
   * The first day (`YYYY-MM-DD`) that partition projection offers; it runs to the current hour.
   *
   * @default '2024-01-01'
   */
  readonly firstLogDate?: string;

  /**
   * The named queries read the records of the last N days (by the hour folders, so Athena scans only those).
   *
   * @default 30
   */
  readonly lookbackDays?: number;

  /**
   * Request-metadata keys that name a workload (sent with `requestMetadata` in Converse or the
   * `X-Amzn-Bedrock-Request-Metadata` header): the top-workloads query groups by their values, one
   * `metadata_<key>` column each. Lower case only: Athena's JSON SerDe reads keys case-insensitively and may
   * lower-case map keys (UNVERIFIED), so mixed-case keys could read as missing in Athena. At most 16.
   *
   * @default ['workload']
   */
  readonly requestMetadataKeys?: string[];

  /**
   * Rows of the top-workloads query.
   *
   * @default 20
   */
  readonly topWorkloads?: number;

  /**
   * Output tokens at or below which a call to a standard- or premium-tier model is a laddering candidate
   * (classification, extraction and routing answers are short).
   *
   * @default 300
   */
  readonly ladderMaxOutputTokens?: number;

  /**
   * Distinct hours with traffic that a workload nobody waits on needs in the window to be a batch candidate.
   *
   * @default 24
   */
  readonly batchMinActiveHours?: number;

  /**
   * Athena cancels queries of the workgroup that would scan more bytes than this (at least 10 MB).
   *
   * @default - no limit
   */
  readonly bytesScannedCutoffPerQuery?: number;

  /**
   * How long Athena query results are kept in the results bucket.
   *
   * @default Duration.days(30)
   */
  readonly resultsExpiration?: Duration;

  /**
   * What happens to the results bucket when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where the results bucket's S3 server access logs go.
   *
   * @default - a hardened access-log bucket is created beside the results bucket
   */
  readonly serverAccessLogsBucket?: s3.IBucket;
}

/** Properties of `InvocationLogQueries`. */
export interface InvocationLogQueriesProps extends InvocationLogQueriesOptions {
  /**
   * The bucket Bedrock delivers invocation logs to. If it is encrypted with a KMS key, pass a bucket that knows
   * the key (e.g. `s3.Bucket.fromBucketAttributes(this, 'Logs', { bucketName, encryptionKey })`) so that
   * `grantQuery` can grant decryption.
   */
  readonly bucket: s3.IBucket;

  /**
   * The key prefix of the logging configuration: logs land under
   * `<keyPrefix>/AWSLogs/<account>/BedrockModelInvocationLogs/<region>/YYYY/MM/DD/HH/`.
   *
   * @default - no prefix (logs start at `AWSLogs/`)
   */
  readonly keyPrefix?: string;

  /**
   * The account whose logs the bucket holds.
   *
   * @default - the stack's account
   */
  readonly logsAccount?: string;

  /**
   * The Region of the logging configuration. Bedrock delivers to a bucket in the configuration's own Region, so a
   * bucket holds one Region's logs and the table has no Region partition.
   *
   * @default - the stack's Region
   */
  readonly logsRegion?: string;

  /**
   * Several accounts whose logs the bucket holds, e.g. a `CentralInvocationLogArchive` that the member accounts
   * replicate to: the table gets a `log_account` partition (enum projection over these ids) read from the
   * `AWSLogs/<account>/` folders, so one table covers them all. Not with `logsAccount`.
   *
   * @default - one account, `logsAccount`
   */
  readonly logsAccounts?: string[];

  /**
   * Several Regions whose logs the bucket holds (a central archive receives every Region's logs of an account):
   * the table gets a `log_region` partition (enum projection over these names). Not with `logsRegion`.
   *
   * @default - one Region, `logsRegion`
   */
  readonly logsRegions?: string[];

  /**
   * The teams whose application inference profiles map calls to a team, a model and its routing (and so a
   * price). More can be added with `addTeam()`. Calls through other profiles are reported as `(unmapped profile)`.
   *
   * @default - none
   */
  readonly teams?: Team[];
}

/**
 * Athena over Bedrock model invocation logs: a Glue database and table over the gzipped JSON-lines records (JSON
 * SerDe, partition projection on the `YYYY/MM/DD/HH` folders of the log layout, so no crawler is needed), an Athena
 * workgroup whose settings are enforced and whose results go SSE-S3 encrypted to a hardened bucket, and named
 * queries: top workloads by cost, cost per team (cache-read and cache-write tokens at their own prices), cache hit
 * ratio per profile, streaming share per team, requests that bypassed profiles, laddering candidates and batch
 * candidates.
 *
 * Prices come from the `BedrockModel` catalogue (plus `models` and the teams' own models), rendered into each query
 * as a VALUES table with the regional premium of each routing; profile ids map calls to teams. The same SQL runs
 * locally on DuckDB with `npx cdk-bedrock-governance report <dir>`.
 */
export class InvocationLogQueries extends Construct {
  /** Athena's limit on the text of a named query (tests lower it). */
  private static namedQueryMaxLength = 262_144;

  /** The Glue database name. */
  public readonly databaseName: string;
  /** The Glue table name. */
  public readonly tableName: string;
  /** The Athena workgroup name. */
  public readonly workGroupName: string;
  /** The Glue database. */
  public readonly database: glue.CfnDatabase;
  /** The Glue table over the invocation logs. */
  public readonly table: glue.CfnTable;
  /** The Athena workgroup. */
  public readonly workGroup: athena.CfnWorkGroup;
  /** The bucket of Athena query results. */
  public readonly resultsBucket: s3.IBucket;
  /**
   * The named queries, in the order: top workloads, cost per team, cache hit ratio, streaming share, profile
   * bypass, laddering candidates, batch candidates.
   */
  public readonly namedQueries: athena.CfnNamedQuery[];
  /** The log bucket. */
  public readonly bucket: s3.IBucket;
  /**
   * `[<keyPrefix>/]AWSLogs/<account>/BedrockModelInvocationLogs/<region>/`: the folder of the hour folders (it stops
   * before the account folder with `logsAccounts`, before the Region folder with `logsRegions`).
   */
  public readonly logsPrefix: string;

  private readonly teams: Team[] = [];
  private readonly models: BedrockModel[];
  private readonly sqlSettings: Omit<InvocationLogSqlOptions, 'pricing'>;
  /** The queries rendered for the state they were rendered from (teams and profiles): re-rendered when it changes. */
  private rendered?: { readonly state: string; readonly queries: AuditQuery[] };

  constructor(scope: Construct, id: string, props: InvocationLogQueriesProps) {
    super(scope, id);
    useBucketPolicyForAccessLogs(this);
    const stack = Stack.of(this);
    validateProps(this, props);
    this.bucket = props.bucket;
    this.databaseName = props.databaseName ?? 'bedrock_invocation_logs';
    this.tableName = props.tableName ?? 'invocations';
    this.workGroupName = props.workGroupName ?? 'bedrock-invocation-logs';
    this.models = [...(props.models ?? [])];
    this.models.forEach((model, i) => validateModel(this, `models[${i}]`, model));
    const account = props.logsAccount ?? stack.account;
    const region = props.logsRegion ?? stack.region;
    const root = `${props.keyPrefix ? `${props.keyPrefix}/` : ''}AWSLogs/`;
    const accountFolder = props.logsAccounts ? `\${${LOG_ACCOUNT_COLUMN}}` : account;
    const regionFolder = props.logsRegions ? `\${${LOG_REGION_COLUMN}}` : region;
    const logsTemplate = `${root}${accountFolder}/BedrockModelInvocationLogs/${regionFolder}/`;
    this.logsPrefix = props.logsAccounts ? root
      : props.logsRegions ? `${root}${account}/BedrockModelInvocationLogs/` : logsTemplate;
    const enumPartitions: Array<[string, string[], string]> = [
      ...(props.logsAccounts ? [[LOG_ACCOUNT_COLUMN, props.logsAccounts, 'Account folder of the record (AWSLogs/<account>/)'] as [string, string[], string]] : []),
      ...(props.logsRegions ? [[LOG_REGION_COLUMN, props.logsRegions, 'Region folder of the record'] as [string, string[], string]] : []),
    ];
    const firstLogDate = props.firstLogDate ?? '2024-01-01';
    this.sqlSettings = {
      database: this.databaseName,
      table: this.tableName,
      lookbackDays: props.lookbackDays ?? 30,
      requestMetadataKeys: props.requestMetadataKeys ?? ['workload'],
      topWorkloads: props.topWorkloads ?? 20,
      ladderMaxOutputTokens: props.ladderMaxOutputTokens ?? 300,
      batchMinActiveHours: props.batchMinActiveHours ?? 24,
    };

    const logsUri = `s3://${this.bucket.bucketName}/${this.logsPrefix}`;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId: stack.account,
      databaseInput: {
        name: this.databaseName,
        description: 'Bedrock model invocation logs (cdk-bedrock-governance)',
      },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId: stack.account,
      databaseName: this.database.ref,
      tableInput: {
        name: this.tableName,
        description: 'Bedrock model invocation logs: gzipped JSON lines, one partition per hour folder',
        tableType: 'EXTERNAL_TABLE',
        parameters: {
          'classification': 'json',
          'projection.enabled': 'true',
          [`projection.${LOG_HOUR_COLUMN}.type`]: 'date',
          [`projection.${LOG_HOUR_COLUMN}.format`]: 'yyyy/MM/dd/HH',
          [`projection.${LOG_HOUR_COLUMN}.range`]: `${firstLogDate.replace(/-/g, '/')}/00,NOW`,
          [`projection.${LOG_HOUR_COLUMN}.interval`]: '1',
          [`projection.${LOG_HOUR_COLUMN}.interval.unit`]: 'HOURS',
          ...Object.fromEntries(enumPartitions.flatMap(([name, values]) => [
            [`projection.${name}.type`, 'enum'],
            [`projection.${name}.values`, values.join(',')],
          ])),
          'storage.location.template': `s3://${this.bucket.bucketName}/${logsTemplate}\${${LOG_HOUR_COLUMN}}/`,
        },
        partitionKeys: [
          ...enumPartitions.map(([name, , comment]) => ({ name, type: 'string', comment })),
          { name: LOG_HOUR_COLUMN, type: 'string', comment: 'YYYY/MM/DD/HH folder of the record (UTC)' },
        ],
        storageDescriptor: {
          location: logsUri,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            parameters: { 'ignore.malformed.json': 'true', 'case.insensitive': 'true', 'dots.in.keys': 'false' },
          },
          columns: LOG_FIELDS.map((field) => ({ name: field.name, type: hiveType(field) })),
        },
      },
    });

    this.resultsBucket = hardenedBucket(this, 'ResultsBucket', {
      removalPolicy: props.removalPolicy,
      serverAccessLogsBucket: props.serverAccessLogsBucket,
      serverAccessLogsPrefix: 'invocation-log-query-results/',
      purpose: 'Athena query results, disposable copies expired by lifecycle rule',
      expiration: props.resultsExpiration ?? Duration.days(30),
    });
    this.workGroup = queryWorkGroup(this, {
      name: this.workGroupName,
      description: 'Bedrock invocation-log queries (cdk-bedrock-governance)',
      resultsBucket: this.resultsBucket,
      resultsPrefix: QUERY_RESULTS_PREFIX,
      bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery,
    });

    for (const team of props.teams ?? []) {
      this.addTeam(team);
    }
    this.namedQueries = this.renderQueries().map((query, index) => {
      const namedQuery = new athena.CfnNamedQuery(this, query.id, {
        name: query.name,
        description: query.description,
        database: this.databaseName,
        workGroup: this.workGroup.ref,
        queryString: Lazy.uncachedString({ produce: () => this.renderQueries()[index].sql }),
      });
      namedQuery.node.addDependency(this.table);
      return namedQuery;
    });
    this.node.addValidation({ validate: () => this.validateQuerySize() });
  }

  /**
   * Map the calls through a team's application inference profiles to the team (queries are rendered at synth time,
   * so teams added after construction are included).
   */
  public addTeam(team: Team): void {
    if (this.teams.includes(team)) {
      throw new GovernanceValidationError(this, `team '${team.teamName}' (${team.node.path}) was added twice. Add each team once`);
    }
    const before = this.profileCount();
    this.teams.push(team);
    if (before <= TEMPLATE_WARNING_PROFILES && this.profileCount() > TEMPLATE_WARNING_PROFILES) {
      Annotations.of(this).addWarningV2('cdk-bedrock-governance:invocationLogQueriesTemplateSize',
        `The named queries map more than ${TEMPLATE_WARNING_PROFILES} profiles: each adds about 0.8 KB to the template, and CloudFormation takes at most 1 MB. Put InvocationLogQueries in a stack of its own, or split the teams across several InvocationLogQueries`);
    }
  }

  private profileCount(): number {
    return this.teams.reduce((sum, team) => sum + team.profiles.length, 0);
  }

  /**
   * The SQL of a named query, Athena (Trino) dialect, with the teams added so far (profile ids are tokens until
   * deployment).
   */
  public querySql(query: InvocationLogQuery): string {
    return this.renderQueries().find((q) => q.id === query)!.sql;
  }

  /**
   * Allow the grantee to run the named queries: Athena in the workgroup, Glue reads of the database and table,
   * S3 reads of the log objects (and decryption with the bucket's KMS key when the bucket knows it), and reads
   * and writes of query results.
   */
  public grantQuery(grantee: iam.IGrantable): iam.Grant {
    const [dataObjects, resultObjects] = this.queryGrantWildcardArns();
    const grants = grantQueryAccess(this, grantee, {
      workGroup: this.workGroup,
      databaseName: this.databaseName,
      tableName: this.tableName,
      dataBucket: this.bucket,
      dataObjects,
      dataListPrefix: `${this.logsPrefix}*`,
      resultsBucket: this.resultsBucket,
      resultObjects,
    });
    if (this.bucket.encryptionKey) {
      grants.push(this.bucket.encryptionKey.grantDecrypt(grantee));
    }
    return grants.reduce((all, next) => all.combine(next));
  }

  /**
   * Acknowledge, on the given construct and with a stated reason, exactly the two `AwsSolutions-IAM5` findings
   * that `grantQuery` causes: reads of every object under the logs prefix (Bedrock names the files) and reads and
   * writes under the results prefix (Athena names the result files). Nothing else is acknowledged.
   */
  public acknowledgeQueryGrantWildcards(scope: IConstruct): void {
    for (const id of iam5ResourceFindingIds(this, this.queryGrantWildcardArns())) {
      Validations.of(scope).acknowledge({
        id,
        reason: 'Bedrock names the log objects under the logs prefix (one gzipped file per delivery and hour folder) and Athena names the result files under the results prefix, so reads and result writes are granted on the prefixes only.',
      });
    }
  }

  private queryGrantWildcardArns(): string[] {
    return [this.bucket.arnForObjects(`${this.logsPrefix}*`), this.resultsBucket.arnForObjects(`${QUERY_RESULTS_PREFIX}/*`)];
  }

  private renderQueries(): AuditQuery[] {
    const state = `${this.teams.length}/${this.profileCount()}`;
    if (this.rendered?.state !== state) {
      this.rendered = {
        state,
        queries: renderAuditQueries({ ...this.sqlSettings, pricing: buildAuditPricing(this.models, this.profileInputs()) }),
      };
    }
    return this.rendered.queries;
  }

  private profileInputs(): ProfileInput[] {
    return this.teams.flatMap((team) => team.profiles.map((profile) => ({
      profileId: profile.inferenceProfileId,
      team: team.teamName,
      interactive: team.interactive,
      model: profile.model,
      routing: profile.routing,
      cacheWriteTtl: team.caching?.cacheWriteTtl,
    })));
  }

  /** The named queries must fit Athena's limit once the profile ids are known (12 characters each). */
  private validateQuerySize(): string[] {
    const inputs = this.profileInputs().map((p) => ({
      ...p,
      profileId: Token.isUnresolved(p.profileId) ? 'x'.repeat(PROFILE_ID_LENGTH) : p.profileId,
    }));
    const queries = renderAuditQueries({ ...this.sqlSettings, pricing: buildAuditPricing(this.models, inputs) });
    const longest = Math.max(...queries.map((q) => q.sql.length));
    const limit = InvocationLogQueries.namedQueryMaxLength;
    if (longest <= limit) {
      return [];
    }
    return [`${this.node.path}: invalid teams (${inputs.length} profiles): the named queries would be ${longest} characters long, over Athena's limit of ${limit}. `
      + 'Split the teams across several InvocationLogQueries (each with its own databaseName and workGroupName); calls through another instance\'s profiles show as (unmapped profile)'];
  }
}

function validateProps(scope: IConstruct, props: InvocationLogQueriesProps): void {
  validateQueryName(scope, 'databaseName', props.databaseName, 'glue', 'bedrock_invocation_logs');
  validateQueryName(scope, 'tableName', props.tableName, 'glue', 'bedrock_invocation_logs');
  validateQueryName(scope, 'workGroupName', props.workGroupName, 'workGroup', 'bedrock-invocation-logs');
  validateKeyPrefix(scope, props.keyPrefix);
  if (props.logsAccount !== undefined && !isUnresolved(props.logsAccount) && !ACCOUNT_PATTERN.test(props.logsAccount)) {
    throw invalidProp(scope, 'logsAccount', props.logsAccount, 'account ids are 12 digits', "Use e.g. '111122223333'");
  }
  if (props.logsRegion !== undefined && !isUnresolved(props.logsRegion) && !REGION_PATTERN.test(props.logsRegion)) {
    throw invalidProp(scope, 'logsRegion', props.logsRegion, 'not a Region name', "Use e.g. 'us-east-1'");
  }
  for (const [many, one, pattern, problem, example] of [
    ['logsAccounts', 'logsAccount', ACCOUNT_PATTERN, 'account ids are 12 digits', "'111122223333'"],
    ['logsRegions', 'logsRegion', REGION_PATTERN, 'not a Region name', "'us-east-1'"],
  ] as const) {
    const list = props[many];
    if (list === undefined) {
      continue;
    }
    if (props[one] !== undefined) {
      throw invalidProp(scope, many, list, `${one} names a single folder and ${many} a partition over several`, `Pass one of them: ${many} for a central archive`);
    }
    if (list.length === 0) {
      throw invalidProp(scope, many, [], 'an empty list would make a table over no folder', `Name at least one, e.g. [${example}]`);
    }
    list.forEach((value, i) => {
      if (!isUnresolved(value) && !pattern.test(value)) {
        throw invalidProp(scope, `${many}[${i}]`, value, problem, `Use e.g. ${example}`);
      }
    });
  }
  const date = props.firstLogDate;
  if (date !== undefined && !isUnresolved(date)) {
    const m = DATE_PATTERN.exec(date);
    const parsed = m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])) : undefined;
    if (!m || !parsed || parsed.getUTCMonth() !== +m[2] - 1 || parsed.getUTCDate() !== +m[3]) {
      throw invalidProp(scope, 'firstLogDate', date, 'dates are written YYYY-MM-DD', "Use e.g. '2025-01-01'");
    }
  }
  validateInteger(scope, 'lookbackDays', props.lookbackDays, 1, 3650, 'Pass e.g. 30 for the last 30 days');
  validateInteger(scope, 'topWorkloads', props.topWorkloads, 1, 1000, 'Pass e.g. 20');
  validateInteger(scope, 'ladderMaxOutputTokens', props.ladderMaxOutputTokens, 1, 1_000_000, 'Pass e.g. 300');
  validateInteger(scope, 'batchMinActiveHours', props.batchMinActiveHours, 1, 87_600, 'Pass e.g. 24');
  if (props.bytesScannedCutoffPerQuery !== undefined && !isUnresolved(props.bytesScannedCutoffPerQuery)
    && !(Number.isInteger(props.bytesScannedCutoffPerQuery) && props.bytesScannedCutoffPerQuery >= 10_000_000)) {
    throw invalidProp(scope, 'bytesScannedCutoffPerQuery', props.bytesScannedCutoffPerQuery, 'Athena takes a whole number of bytes of at least 10,000,000 (10 MB)', 'Pass e.g. 10_000_000_000 for 10 GB');
  }
  const keys = props.requestMetadataKeys ?? [];
  if (keys.length > MAX_METADATA_KEYS) {
    throw invalidProp(scope, 'requestMetadataKeys', keys, `a request carries at most ${MAX_METADATA_KEYS} metadata pairs`, `Pass at most ${MAX_METADATA_KEYS} keys`);
  }
  const columns = new Map<string, string>();
  keys.forEach((key, i) => {
    if (isUnresolved(key)) {
      throw invalidProp(scope, `requestMetadataKeys[${i}]`, key, 'keys become column names and cannot be tokens', 'Pass a literal string');
    }
    if (!METADATA_KEY_PATTERN.test(key)) {
      const problem = key.toLowerCase() !== key && METADATA_KEY_PATTERN.test(key.toLowerCase())
        ? "Athena's JSON SerDe reads keys case-insensitively and may lower-case them, so use lower-case keys"
        : 'request-metadata keys are 1-256 characters: letters, digits, spaces and : _ @ $ # = / + , . -';
      throw invalidProp(scope, `requestMetadataKeys[${i}]`, key, problem, `Use e.g. '${key.toLowerCase().replace(/[^a-z0-9\s:_@$#=/+,.-]/g, '_').slice(0, 256) || 'workload'}' (and send that key)`);
    }
    const column = metadataColumn(key);
    const other = columns.get(column);
    if (other !== undefined) {
      throw invalidProp(scope, `requestMetadataKeys[${i}]`, key, `'${other}' gives the same column ${column}`, 'List each key once');
    }
    columns.set(column, key);
  });
}

function validateInteger(scope: IConstruct, prop: string, value: number | undefined, min: number, max: number, fix: string): void {
  if (value === undefined || isUnresolved(value)) {
    return;
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidProp(scope, prop, value, `must be a whole number from ${min} to ${max}`, fix);
  }
}

function validateKeyPrefix(scope: IConstruct, prefix: string | undefined): void {
  if (prefix === undefined || isUnresolved(prefix)) {
    return;
  }
  if (prefix === '') {
    throw invalidProp(scope, 'keyPrefix', prefix, 'an empty prefix is not a prefix', 'Omit keyPrefix when the logs start at the bucket root');
  }
  if (prefix.startsWith('/')) {
    throw invalidProp(scope, 'keyPrefix', prefix, "S3 keys do not start with '/'", `Use '${prefix.replace(/^\/+/, '')}'`);
  }
  if (prefix.endsWith('/')) {
    throw invalidProp(scope, 'keyPrefix', prefix, "Bedrock adds '/AWSLogs/...' after the prefix itself", `Use '${prefix.replace(/\/+$/, '')}'`);
  }
  if (prefix.includes('//')) {
    throw invalidProp(scope, 'keyPrefix', prefix, "'//' makes an empty folder name in the key", `Use '${prefix.replace(/\/{2,}/g, '/')}'`);
  }
}

