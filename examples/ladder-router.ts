/**
 * The router pattern for a team's model ladder, as application code would write it.
 *
 * The platform publishes each team's ladder manifest as an SSM parameter
 * (`/bedrock-governance/<prefix><team>/model-ladder`, readable after `team.grantReadLadder(role)`).
 * The application reads it once at start-up, tries the cheapest tier first, and escalates to the next
 * tier only when a quality check of the answer fails. No AWS call is needed to choose a profile, so
 * this file is tested without an SDK (test/levers/model-ladder.test.ts).
 */

/** One tier of the manifest (schema version 1). */
export interface LadderManifestTier {
  readonly tier: 'LIGHT' | 'STANDARD' | 'PREMIUM';
  readonly profileArn: string;
  readonly modelId: string;
  readonly displayName: string;
  readonly inputUsdPerMillionTokens: number;
  readonly outputUsdPerMillionTokens: number;
  readonly cacheReadUsdPerMillionTokens: number;
  readonly cacheWriteUsdPerMillionTokens: number;
  readonly minCachePrefixTokens: number | null;
  readonly streaming: boolean;
  readonly pricesAsOf: string;
}

/** The manifest a team's SSM parameter holds. */
export interface LadderManifest {
  readonly schemaVersion: 1;
  readonly team: string;
  readonly tiers: LadderManifestTier[];
}

const ORDER = ['LIGHT', 'STANDARD', 'PREMIUM'] as const;

/** Parse and check the manifest JSON (the value of the SSM parameter). */
export function parseLadderManifest(json: string): LadderManifest {
  const manifest = JSON.parse(json) as LadderManifest;
  if (manifest.schemaVersion !== 1) {
    throw new Error(`unsupported ladder manifest schemaVersion ${manifest.schemaVersion}; this router reads version 1`);
  }
  if (!Array.isArray(manifest.tiers) || manifest.tiers.length === 0) {
    throw new Error(`the ladder manifest of team ${manifest.team} has no tiers`);
  }
  return manifest;
}

/** What the caller knows about a request before choosing a model. */
export interface RouteRequest {
  /** The lowest tier the task may use (e.g. 'STANDARD' for code generation). Default: the cheapest. */
  readonly minimumTier?: 'LIGHT' | 'STANDARD' | 'PREMIUM';
  /** Whether the caller needs a streamed response. */
  readonly streaming?: boolean;
}

/** The profile to call first: the cheapest tier at or above the minimum tier. */
export function chooseProfile(manifest: LadderManifest, request: RouteRequest = {}): LadderManifestTier {
  const floor = ORDER.indexOf(request.minimumTier ?? 'LIGHT');
  const candidates = manifest.tiers
    .filter((t) => ORDER.indexOf(t.tier) >= floor)
    .sort((a, b) => ORDER.indexOf(a.tier) - ORDER.indexOf(b.tier));
  const choice = candidates[0];
  if (!choice) {
    throw new Error(`team ${manifest.team} has no tier at or above ${request.minimumTier}`);
  }
  if (request.streaming && !choice.streaming) {
    throw new Error(`team ${manifest.team} is non-interactive: its profiles are not granted streaming; call without streaming`);
  }
  return choice;
}

/** The next, more capable tier after a failed quality check, or undefined at the top of the ladder. */
export function escalate(manifest: LadderManifest, current: LadderManifestTier): LadderManifestTier | undefined {
  const above = manifest.tiers
    .filter((t) => ORDER.indexOf(t.tier) > ORDER.indexOf(current.tier))
    .sort((a, b) => ORDER.indexOf(a.tier) - ORDER.indexOf(b.tier));
  return above[0];
}

/** Estimated USD of one call on a tier, with `cachedInputTokens` of the input read from the cache. */
export function estimateCallUsd(tier: LadderManifestTier, inputTokens: number, outputTokens: number, cachedInputTokens = 0): number {
  const cached = tier.minCachePrefixTokens !== null && cachedInputTokens >= tier.minCachePrefixTokens ? cachedInputTokens : 0;
  return ((inputTokens - cached) * tier.inputUsdPerMillionTokens
    + cached * tier.cacheReadUsdPerMillionTokens
    + outputTokens * tier.outputUsdPerMillionTokens) / 1e6;
}
