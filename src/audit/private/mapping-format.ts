/**
 * The JSON of a profile mapping: what `TeamProfileMapping` writes to SSM, and what `cdk-bedrock-governance report`
 * reads (`--mapping-parameter`, or `--mapping` with a file).
 *
 * Version 1, documents without a `version` (what earlier versions of the library wrote, and the hand-written
 * form): every profile with all of its fields.
 *
 *   {"profiles": [{"profile": "<id or ARN>", "team": "search", "modelId": "...", "routing": "us",
 *     "interactive": true, "cacheWriteTtl": "5m"}], "models": [<BedrockModel.custom props>]}
 *
 * Version 2, one team per document (what the library writes now): the team's fields once, then each profile's id
 * and model, plus any team field in which that profile differs from the team.
 *
 *   {"version": 2, "team": "search", "routing": "us", "interactive": true, "cacheWriteTtl": "5m",
 *    "profiles": [{"profile": "<id or ARN>", "modelId": "..."}], "models": [<BedrockModel.custom props>]}
 */

/** The version of the documents `teamDocument` writes. */
export const TEAM_DOCUMENT_VERSION = 2;

/** The fields a profile takes from its team in a version 2 document, unless it names them itself. */
const TEAM_FIELDS = ['team', 'routing', 'interactive', 'cacheWriteTtl'] as const;

/** The fields of a team shared by its profiles. */
export interface MappingTeamFields {
  readonly team: string;
  /** `in-region`, `global` or a cross-Region geography (`us`, `eu`...). */
  readonly routing: string;
  readonly interactive: boolean;
  /** `5m` or `1h`. */
  readonly cacheWriteTtl: string;
}

/** A profile with every field: a row of a version 1 document. */
export interface MappingProfile extends MappingTeamFields {
  /** The profile id or ARN (a token in a CDK app). */
  readonly profile: string;
  readonly modelId: string;
}

/** A version 2 document (without `models`, which the caller adds when there are any). */
export interface TeamDocument extends MappingTeamFields {
  readonly version: number;
  readonly profiles: Array<Record<string, string | boolean>>;
}

/** The version 2 document of a team: its fields once, each profile's id and model and what differs from the team. */
export function teamDocument(team: MappingTeamFields, profiles: MappingProfile[]): TeamDocument {
  return {
    version: TEAM_DOCUMENT_VERSION,
    team: team.team,
    routing: team.routing,
    interactive: team.interactive,
    cacheWriteTtl: team.cacheWriteTtl,
    profiles: profiles.map((p) => {
      const row: Record<string, string | boolean> = { profile: p.profile, modelId: p.modelId };
      for (const field of TEAM_FIELDS) {
        if (p[field] !== team[field]) {
          row[field] = p[field];
        }
      }
      return row;
    }),
  };
}

/**
 * The profiles of a version 2 document as version 1 rows: each profile with the team's fields it does not name
 * itself. Entries are not checked here (the reader checks the rows as it checks a version 1 document's).
 */
export function expandTeamDocument(doc: { readonly profiles: unknown[] } & Record<string, unknown>): unknown[] {
  const team: Record<string, unknown> = {};
  for (const field of TEAM_FIELDS) {
    if (doc[field] !== undefined) {
      team[field] = doc[field];
    }
  }
  return doc.profiles.map((p) => (p !== null && typeof p === 'object' && !Array.isArray(p) ? { ...team, ...p } : p));
}
