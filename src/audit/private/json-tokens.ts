import { Reference, Token, Tokenization } from 'aws-cdk-lib';

/**
 * Whether every token in the value is a reference (a profile id: `Ref` / `Fn::GetAtt`, which stand for strings)
 * inside a string: JSON.stringify then writes what Stack.toJsonString would. Numbers, lists or objects that are
 * tokens, or other tokens in strings, need Stack.toJsonString.
 */
export function hasOnlyStringTokens(value: unknown): boolean {
  if (typeof value === 'number') {
    return !Token.isUnresolved(value);
  }
  if (typeof value === 'string') {
    return !Token.isUnresolved(value) || Tokenization.reverseString(value).tokens.every((t) => t instanceof Reference);
  }
  if (Array.isArray(value)) {
    return !Token.isUnresolved(value) && value.every(hasOnlyStringTokens);
  }
  if (value !== null && typeof value === 'object') {
    return !Tokenization.isResolvable(value) && Object.values(value).every(hasOnlyStringTokens);
  }
  return true;
}
