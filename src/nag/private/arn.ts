import { CfnApplicationInferenceProfile } from 'aws-cdk-lib/aws-bedrock';
import { TOKEN, UNKNOWN, globCovers, globIntersects, hasUnknown } from './glob';

/** Any foundation model in any Region (foundation-model ARNs have no account). */
export const FOUNDATION_MODEL_SHAPE = 'arn:*:bedrock:*::foundation-model/*';
/** Any system-defined (cross-Region or global) inference profile. */
export const SYSTEM_PROFILE_SHAPE = 'arn:*:bedrock:*:*:inference-profile/*';
/** Any application inference profile. */
export const APPLICATION_PROFILE_SHAPE = 'arn:*:bedrock:*:*:application-inference-profile/*';
/** Any Bedrock resource. */
export const ANY_BEDROCK_SHAPE = 'arn:*:bedrock:*:*:*';
/** Any bedrock-mantle resource. */
export const ANY_MANTLE_SHAPE = 'arn:*:bedrock-mantle:*:*:*';

/**
 * A resource (or condition value) of a policy statement, as a glob over ARNs with the deploy-time
 * parts replaced by the sentinels of `nag-glob`.
 */
export class ArnPattern {
  /** A pattern the rules cannot bound (the rule that needs it throws). */
  public static unknown(display: string | (() => string)): ArnPattern {
    return new ArnPattern(UNKNOWN, display);
  }

  private segmentsMemo: string[] | undefined | null = null;
  private displayMemo: string | (() => string);

  constructor(
    /** The glob text with sentinels. */
    public readonly text: string,
    /**
     * How the value reads in a finding id (cdk-nag's flattened form, e.g. `arn:<AWS::Partition>:...`), or a function
     * that gives it: most patterns never reach a finding, so their display is only written when one is asked for.
     */
    display: string | (() => string),
    /** The application inference profile this value is the ARN of, when it is a reference to one. */
    public readonly profile?: CfnApplicationInferenceProfile,
  ) {
    this.displayMemo = display;
  }

  /** How the value reads in a finding id (cdk-nag's flattened form, e.g. `arn:<AWS::Partition>:...`). */
  public get display(): string {
    if (typeof this.displayMemo !== 'string') {
      this.displayMemo = this.displayMemo();
    }
    return this.displayMemo;
  }

  /** Whether the rules cannot bound this value. */
  public get isUnknown(): boolean {
    return hasUnknown(this.text) || (!this.isAll && !this.text.startsWith('arn:') && this.text.includes(TOKEN));
  }

  /** Whether this is the literal `*` (every resource). */
  public get isAll(): boolean {
    return this.text === '*';
  }

  /** Whether some ARN matched by this pattern is also matched by the shape. */
  public intersects(shape: string): boolean {
    if (this.isAll) {
      return true;
    }
    const mine = this.segments;
    if (mine === undefined) {
      return false;
    }
    const theirs = shapeSegments(shape);
    return mine.every((segment, index) => globIntersects(segment, theirs[index]));
  }

  /** The six parts of this pattern, or undefined when it is not an ARN pattern. */
  public get segments(): string[] | undefined {
    if (this.segmentsMemo === null) {
      this.segmentsMemo = arnSegments(this.text);
    }
    return this.segmentsMemo;
  }

  /** Whether this pattern matches every ARN the shape matches. */
  public covers(shape: string): boolean {
    return this.coversSegments(shape, false);
  }

  /**
   * Whether this pattern matches every ARN the shape matches within one partition (an account lives
   * in a single partition, so `arn:aws:bedrock:*:*:*` is every Bedrock resource it can reach).
   */
  public coversInItsPartition(shape: string): boolean {
    return this.coversSegments(shape, true);
  }

  private coversSegments(shape: string, anyPartition: boolean): boolean {
    if (this.isAll) {
      return true;
    }
    const mine = this.segments;
    if (mine === undefined) {
      return false;
    }
    const theirs = shapeSegments(shape);
    return mine.every((segment, index) => (anyPartition && index === 1) || globCovers(segment, theirs[index]));
  }

  /** The resource part (after the fifth colon), or undefined when this is not an ARN pattern. */
  public get resourcePart(): string | undefined {
    return this.isAll ? '*' : this.segments?.[5];
  }

  /** The service part, or undefined when this is not an ARN pattern. */
  public get servicePart(): string | undefined {
    return this.isAll ? '*' : this.segments?.[2];
  }
}

/**
 * Split an ARN pattern into its six parts the way IAM compares them: a wildcard does not cross a
 * colon before the resource part, and short patterns are padded with `*`.
 *
 * @returns undefined when the text is not an ARN
 */
export function arnSegments(text: string): string[] | undefined {
  if (!text.startsWith('arn:')) {
    return undefined;
  }
  const parts = text.split(':');
  const head = parts.slice(0, 5);
  const segments = parts.length > 5 ? [...head, parts.slice(5).join(':')] : head;
  while (segments.length < 6) {
    segments.push('*');
  }
  return segments;
}


const shapes = new Map<string, string[]>();

/** The parts of one of the constant shapes, split once. */
function shapeSegments(shape: string): string[] {
  let segments = shapes.get(shape);
  if (segments === undefined) {
    segments = arnSegments(shape)!;
    shapes.set(shape, segments);
  }
  return segments;
}
