import { IConstruct } from 'constructs';

/**
 * A synth-time validation error raised by this library.
 *
 * The message always starts with the construct path, then names the prop, the
 * bad value and the fix, so a user can act on it without reading the source.
 */
export class GovernanceValidationError extends Error {
  /** Path of the construct whose input was rejected. */
  public readonly constructPath: string;

  constructor(scope: IConstruct, message: string) {
    super(`${scope.node.path}: ${message}`);
    this.name = 'GovernanceValidationError';
    this.constructPath = scope.node.path;
    Object.setPrototypeOf(this, GovernanceValidationError.prototype);
  }
}

/**
 * Build the standard "invalid prop" error: `<path>: invalid <prop> <value>: <problem>. <fix>`
 */
export function invalidProp(scope: IConstruct, prop: string, value: unknown, problem: string, fix: string): GovernanceValidationError {
  return new GovernanceValidationError(scope, `invalid ${prop} ${formatValue(value)}: ${problem}. ${fix}`);
}

/** Render a value for an error message. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value}'`;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return JSON.stringify(value);
}
