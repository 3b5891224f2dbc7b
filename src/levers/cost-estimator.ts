import { BedrockModel, InferenceRouting } from '../models/bedrock-model';
import { CacheTtl } from '../models/pricing';

/**
 * A workload to price: how many requests, how many tokens, and how much of it each spend lever can reach.
 */
export interface WorkloadEstimateInput {
  /** The model the workload runs on today. */
  readonly model: BedrockModel;

  /** Requests per day. */
  readonly requestsPerDay: number;

  /** Input tokens per request, the cacheable prefix included. */
  readonly inputTokensPerRequest: number;

  /** Output tokens per request. */
  readonly outputTokensPerRequest: number;

  /**
   * How requests are routed (global routing has no regional premium).
   *
   * @default InferenceRouting.global()
   */
  readonly routing?: InferenceRouting;

  /**
   * Tokens at the start of each request's input that are the same across requests (system prompt,
   * documents, tool definitions) and can be cached. Caching applies only when the prefix reaches the
   * model's `minCachePrefixTokens`.
   *
   * @default 0
   */
  readonly cacheablePrefixTokens?: number;

  /**
   * Fraction of requests (0-1) whose prefix is read from the cache; the others write it.
   * E.g. 10 documents each asked 100 times a day: 990 of 1,000 requests read, so 0.99.
   *
   * @default 0
   */
  readonly cacheHitRatio?: number;

  /**
   * Which cache-write price applies.
   *
   * @default CacheTtl.FIVE_MINUTES
   */
  readonly cacheTtl?: CacheTtl;

  /**
   * A cheaper model that can serve part of the requests with the same quality (model laddering).
   *
   * @default - no laddering
   */
  readonly ladderModel?: BedrockModel;

  /**
   * Fraction of requests (0-1) the ladder model can serve.
   *
   * @default 0
   */
  readonly ladderShare?: number;

  /**
   * Fraction of requests (0-1) that need no immediate answer and can run as batch inference
   * (the model's `batchDiscount` off; batch and prompt caching do not combine).
   *
   * @default 0
   */
  readonly batchShare?: number;

  /**
   * Days in a month.
   *
   * @default 365 / 12
   */
  readonly daysPerMonth?: number;
}

/** A workload's monthly cost before and after each lever, in USD, rounded to the cent. */
export interface WorkloadCostEstimate {
  /** On-demand, no caching, no laddering, no batch. */
  readonly baselineMonthlyUsd: number;
  /** With prompt caching only. */
  readonly cachingMonthlyUsd: number;
  /** With model laddering only. */
  readonly ladderMonthlyUsd: number;
  /** With batch inference only. */
  readonly batchMonthlyUsd: number;
  /** With every lever the input allows. */
  readonly allLeversMonthlyUsd: number;
  /** Whether the cacheable prefix reaches the model's minimum cacheable prefix. */
  readonly cachingApplies: boolean;
  /** Yearly saving of caching alone (12 months). */
  readonly cachingAnnualSavingUsd: number;
  /** Yearly saving of laddering alone (12 months). */
  readonly ladderAnnualSavingUsd: number;
  /** Yearly saving of batch alone (12 months). */
  readonly batchAnnualSavingUsd: number;
  /** Yearly saving of every lever together (12 months). */
  readonly allLeversAnnualSavingUsd: number;
}

/**
 * Prices a described workload with the model catalogue, before and after each spend lever.
 * A pure function: no AWS call, no construct.
 */
export class CostEstimator {
  /** Estimate the monthly cost of a workload before and after prompt caching, laddering and batch. */
  public static estimate(input: WorkloadEstimateInput): WorkloadCostEstimate {
    check('requestsPerDay', input.requestsPerDay);
    check('inputTokensPerRequest', input.inputTokensPerRequest);
    check('outputTokensPerRequest', input.outputTokensPerRequest);
    const prefix = input.cacheablePrefixTokens ?? 0;
    check('cacheablePrefixTokens', prefix);
    if (prefix > input.inputTokensPerRequest) {
      throw new Error(`invalid cacheablePrefixTokens ${prefix}: it exceeds inputTokensPerRequest (${input.inputTokensPerRequest}). The prefix is part of the input`);
    }
    const hit = fraction('cacheHitRatio', input.cacheHitRatio ?? 0);
    const ladderShare = fraction('ladderShare', input.ladderShare ?? 0);
    const batchShare = fraction('batchShare', input.batchShare ?? 0);
    if (ladderShare > 0 && input.ladderModel === undefined) {
      throw new Error('invalid ladderShare: a ladder share needs a ladderModel. Pass ladderModel, e.g. BedrockModel.CLAUDE_HAIKU_4_5');
    }
    const days = input.daysPerMonth ?? 365 / 12;
    check('daysPerMonth', days);
    const routing = input.routing ?? InferenceRouting.global();
    const ttl = input.cacheTtl ?? CacheTtl.FIVE_MINUTES;

    /** Daily cost of `requests` requests on `model`, optionally cached, optionally as batch. */
    const daily = (model: BedrockModel, requests: number, cached: boolean, batch: boolean): number => {
      const r = model.effectiveRates(routing, ttl);
      const factor = batch ? 1 - model.batchDiscount : 1;
      const cacheable = cached && !batch && canCache(model, prefix);
      const uncachedInput = cacheable ? input.inputTokensPerRequest - prefix : input.inputTokensPerRequest;
      let usd = requests * (uncachedInput * r.inputUsdPerMillionTokens + input.outputTokensPerRequest * r.outputUsdPerMillionTokens);
      if (cacheable) {
        usd += requests * prefix * (hit * r.cacheReadUsdPerMillionTokens + (1 - hit) * r.cacheWriteUsdPerMillionTokens);
      }
      return (usd * factor) / 1e6;
    };
    const n = input.requestsPerDay;
    const main = input.model;
    const ladder = input.ladderModel ?? main;
    const split = (cached: boolean, useLadder: boolean, useBatch: boolean): number => {
      const ladderN = useLadder ? n * ladderShare : 0;
      const mainN = n - ladderN;
      const b = useBatch ? batchShare : 0;
      return daily(main, mainN * (1 - b), cached, false) + daily(main, mainN * b, false, true)
        + daily(ladder, ladderN * (1 - b), cached, false) + daily(ladder, ladderN * b, false, true);
    };
    const baseline = split(false, false, false) * days;
    const caching = split(true, false, false) * days;
    const laddered = split(false, true, false) * days;
    const batched = split(false, false, true) * days;
    const all = split(true, true, true) * days;
    return {
      baselineMonthlyUsd: cents(baseline),
      cachingMonthlyUsd: cents(caching),
      ladderMonthlyUsd: cents(laddered),
      batchMonthlyUsd: cents(batched),
      allLeversMonthlyUsd: cents(all),
      cachingApplies: canCache(main, prefix),
      cachingAnnualSavingUsd: cents((baseline - caching) * 12),
      ladderAnnualSavingUsd: cents((baseline - laddered) * 12),
      batchAnnualSavingUsd: cents((baseline - batched) * 12),
      allLeversAnnualSavingUsd: cents((baseline - all) * 12),
    };
  }

  private constructor() {}
}

function canCache(model: BedrockModel, prefix: number): boolean {
  return prefix > 0 && model.minCachePrefixTokens !== undefined && prefix >= model.minCachePrefixTokens;
}

function cents(usd: number): number {
  return Math.round(usd * 100) / 100;
}

function check(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new Error(`invalid ${name} ${value}: must be a finite number >= 0. Pass a non-negative number`);
  }
}

function fraction(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new Error(`invalid ${name} ${value}: must be a fraction between 0 and 1. Pass e.g. 0.25 for a quarter`);
  }
  return value;
}
