import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/** CloudFormation pattern of `AWS::Bedrock::ApplicationInferenceProfile.InferenceProfileName`. */
export const PROFILE_NAME_PATTERN = /^([0-9a-zA-Z][ _-]?)+$/;
/** Maximum length of an application inference profile name. */
export const PROFILE_NAME_MAX_LENGTH = 64;
/** CloudFormation pattern of `AWS::Bedrock::ApplicationInferenceProfile.Description`. */
export const PROFILE_DESCRIPTION_PATTERN = /^([0-9a-zA-Z:.][ _-]?)+$/;
/** Maximum length of an application inference profile description. */
export const PROFILE_DESCRIPTION_MAX_LENGTH = 200;
/** Characters AWS accepts in tag keys and values. */
export const TAG_CHARACTERS_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
/** Maximum length of a tag key. */
export const TAG_KEY_MAX_LENGTH = 128;
/** Maximum length of a tag value. */
export const TAG_VALUE_MAX_LENGTH = 256;
/** Team names: letters and digits, single '-' or '_' between them. */
export const TEAM_NAME_PATTERN = /^[0-9a-zA-Z]+([_-][0-9a-zA-Z]+)*$/;

/** True when the value is (or contains) an unresolved token and so cannot be checked at synth time. */
export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' ? Token.isUnresolved(value) : typeof value === 'number' ? Token.isUnresolved(value) : false;
}

/** Validate a tag key. Tokens are passed through. */
export function validateTagKey(scope: IConstruct, prop: string, key: string): void {
  if (isUnresolved(key)) {
    return;
  }
  if (key.length < 1 || key.length > TAG_KEY_MAX_LENGTH) {
    throw invalidProp(scope, prop, key, `tag keys must be 1-${TAG_KEY_MAX_LENGTH} characters long (got ${key.length})`, 'Use a shorter, non-empty key');
  }
  if (key.toLowerCase().startsWith('aws:')) {
    throw invalidProp(scope, prop, key, "the 'aws:' prefix is reserved for AWS", "Choose a key without the 'aws:' prefix");
  }
  if (!TAG_CHARACTERS_PATTERN.test(key)) {
    throw invalidProp(scope, prop, key, 'tag keys may contain only letters, digits, spaces and _ . : / = + - @', 'Remove the other characters');
  }
}

/** Validate a required tag value: non-empty, at most 256 characters, AWS tag characters only. Tokens are passed through. */
export function validateTagValue(scope: IConstruct, prop: string, value: string): void {
  if (isUnresolved(value)) {
    return;
  }
  if (value.trim().length === 0) {
    throw invalidProp(scope, prop, value, 'cost allocation tag values must not be empty or blank, or the spend cannot be attributed', 'Give a non-empty value');
  }
  if (value.length > TAG_VALUE_MAX_LENGTH) {
    throw invalidProp(scope, prop, value, `tag values must be at most ${TAG_VALUE_MAX_LENGTH} characters long (got ${value.length})`, 'Use a shorter value');
  }
  if (!TAG_CHARACTERS_PATTERN.test(value)) {
    throw invalidProp(scope, prop, value, 'tag values may contain only letters, digits, spaces and _ . : / = + - @', 'Remove the other characters');
  }
}

/** Validate a number that must be finite and >= 0. Tokens are passed through. */
export function validateNonNegative(scope: IConstruct, prop: string, value: number | undefined): void {
  if (value === undefined || isUnresolved(value)) {
    return;
  }
  if (!Number.isFinite(value) || value < 0) {
    throw invalidProp(scope, prop, value, 'must be a finite number greater than or equal to 0', 'Pass a non-negative number');
  }
}
