import { IConstruct } from 'constructs';
import { invalidProp } from './errors';
import { isUnresolved } from './validate';
import { BedrockModel, InferenceRouting } from '../models/bedrock-model';
import { CrossRegionGeo, RoutingKind } from '../models/routing';

/** `global` is a Python keyword: the jsii binding names the method `global_()`. */
const PYTHON_GLOBAL = ' (in Python: InferenceRouting.global_())';

/** Bedrock foundation model ids: `provider.name[:version[:variant]]`, lower case. */
const MODEL_ID_PATTERN = /^[a-z0-9-]{1,63}\.[a-z0-9-]{1,100}(\.[a-z0-9-]{1,100})*(:[a-z0-9-]{1,63}){0,2}$/;
const SHORT_NAME_PATTERN = /^[0-9a-zA-Z]+(-[0-9a-zA-Z]+)*$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const SYSTEM_PREFIXES = [...Object.values(CrossRegionGeo), 'global'];

/**
 * Check a model of the catalogue (or a custom one) when a construct first uses it, so the error
 * names the construct path.
 */
export function validateModel(scope: IConstruct, prop: string, model: BedrockModel): void {
  const id = model.modelId;
  if (!isUnresolved(id)) {
    const prefix = id.split('.')[0];
    if (SYSTEM_PREFIXES.includes(prefix) && id.split('.').length > 2) {
      throw invalidProp(scope, `${prop}.modelId`, id,
        `'${prefix}.' is the prefix of a system inference profile, not part of a foundation model id`,
        `Pass the base model id '${id.slice(prefix.length + 1)}' and choose the routing with InferenceRouting.${prefix === 'global' ? `global()${PYTHON_GLOBAL}` : 'crossRegion(...)'}`);
    }
    if (!MODEL_ID_PATTERN.test(id)) {
      throw invalidProp(scope, `${prop}.modelId`, id,
        'not a Bedrock foundation model id (expected provider.model-name[:version], lower case, e.g. \'anthropic.claude-haiku-4-5-20251001-v1:0\'; ARNs are not accepted)',
        'Use the model id shown by `aws bedrock list-foundation-models`');
    }
  }
  if (!SHORT_NAME_PATTERN.test(model.shortName)) {
    throw invalidProp(scope, `${prop}.shortName`, model.shortName,
      'short names may contain only letters, digits and single \'-\' between them', 'Pass shortName, e.g. \'my-model-v1\'');
  }
  if (!DATE_PATTERN.test(model.pricesAsOf)) {
    throw invalidProp(scope, `${prop}.pricesAsOf`, model.pricesAsOf, 'dates must be YYYY-MM-DD', 'Pass the date the prices were taken, e.g. \'2026-11-01\'');
  }
  const p = model.pricing;
  const prices: Array<[string, number | undefined]> = [
    ['inputUsdPerMillionTokens', p.inputUsdPerMillionTokens],
    ['outputUsdPerMillionTokens', p.outputUsdPerMillionTokens],
    ['cacheReadUsdPerMillionTokens', p.cacheReadUsdPerMillionTokens],
    ['cacheWrite5mUsdPerMillionTokens', p.cacheWrite5mUsdPerMillionTokens],
    ['cacheWrite1hUsdPerMillionTokens', p.cacheWrite1hUsdPerMillionTokens],
    ['regionalPremium', p.regionalPremium],
  ];
  for (const [name, value] of prices) {
    if (value === undefined || isUnresolved(value)) {
      continue;
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalidProp(scope, `${prop}.pricing.${name}`, value, `prices must be finite numbers >= 0 (model '${id}')`, 'Pass the USD price per million tokens');
    }
  }
  const discount = p.batchDiscount;
  if (discount !== undefined && !isUnresolved(discount) && !(Number.isFinite(discount) && discount >= 0 && discount < 1)) {
    throw invalidProp(scope, `${prop}.pricing.batchDiscount`, discount, `the batch discount is a fraction in [0, 1) (model '${id}')`, 'Pass e.g. 0.5 for 50% off');
  }
  const minPrefix = model.minCachePrefixTokens;
  if (minPrefix !== undefined && !isUnresolved(minPrefix) && !(Number.isInteger(minPrefix) && minPrefix > 0)) {
    throw invalidProp(scope, `${prop}.minCachePrefixTokens`, minPrefix, 'must be a positive whole number of tokens', 'Pass e.g. 1024');
  }
}

/** Check that the catalogue does not rule the routing out for the model. */
export function validateRouting(scope: IConstruct, prop: string, model: BedrockModel, routing: InferenceRouting): void {
  if (model.supportsRouting(routing)) {
    return;
  }
  switch (routing.kind) {
    case RoutingKind.IN_REGION:
      throw invalidProp(scope, prop, routing.describe(),
        `${model.displayName} (${model.modelId}) cannot be invoked on demand in a single Region, only through a system inference profile`,
        'Pass routing: InferenceRouting.crossRegion(CrossRegionGeo.US) (or the geography your data may go to) or InferenceRouting.global()' + PYTHON_GLOBAL);
    case RoutingKind.GLOBAL:
      throw invalidProp(scope, prop, routing.describe(),
        `${model.displayName} (${model.modelId}) has no global inference profile`,
        'Pass routing: InferenceRouting.inRegion() or InferenceRouting.crossRegion(...)');
    default:
      throw invalidProp(scope, prop, routing.describe(),
        `${model.displayName} (${model.modelId}) has no '${routing.geo}.' inference profile (known geographies: ${(model.crossRegionGeos ?? []).join(', ')})`,
        'Pass one of the known geographies or InferenceRouting.inRegion()');
  }
}
