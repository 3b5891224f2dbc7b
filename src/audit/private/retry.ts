/**
 * Retries with capped exponential backoff and full jitter for the waste-audit Lambda. The handler's SDK clients run
 * with `maxAttempts: 1`, so this is the only retry layer (no retries multiplied by retries).
 *
 * No CDK import here: the file is bundled into the Lambda.
 */

/** Error names AWS services use for throttling. */
const THROTTLING_NAMES = new Set([
  'ThrottlingException', 'Throttling', 'ThrottledException', 'TooManyRequestsException', 'RequestLimitExceeded',
  'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ProvisionedThroughputExceededException',
]);

/** Error names of transient faults worth another try. */
const TRANSIENT_NAMES = new Set([
  'InternalServerException', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException',
  'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE',
]);

/** Whether an error is throttling (HTTP 429, a throttling error name, or the SDK's throttling flag). */
export function isThrottling(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return THROTTLING_NAMES.has(e?.name ?? '') || THROTTLING_NAMES.has(e?.code ?? '')
    || e?.$metadata?.httpStatusCode === 429 || e?.$retryable?.throttling === true;
}

/** Whether an error is throttling or a transient fault (5xx, timeouts, dropped connections). */
export function isRetryable(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $fault?: string; $metadata?: { httpStatusCode?: number } };
  return isThrottling(error) || TRANSIENT_NAMES.has(e?.name ?? '') || TRANSIENT_NAMES.has(e?.code ?? '')
    || e?.$fault === 'server' || (e?.$metadata?.httpStatusCode ?? 0) >= 500;
}

/** How to retry. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Backoff ceiling of the first retry, milliseconds; doubles each retry. */
  readonly baseDelayMs: number;
  /** Backoff ceiling, milliseconds. */
  readonly maxDelayMs: number;
  /** Waits (tests pass a recorder). */
  readonly sleep: (ms: number) => Promise<void>;
  /** A number in [0, 1) (tests pass a constant). */
  readonly random: () => number;
  /** Called before each retry with the attempt that failed (1-based), the error and the delay. */
  readonly onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 20_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/**
 * Run `call`, retrying throttling and transient errors up to `maxAttempts` in all, waiting a random time in
 * [0, min(maxDelayMs, baseDelayMs x 2^(attempt-1))] before each retry (full jitter). Other errors, and the last
 * retryable one, are thrown.
 */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= options.maxAttempts || !isRetryable(error)) {
        throw error;
      }
      const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1));
      const delay = Math.floor(options.random() * ceiling);
      options.onRetry?.(attempt, error, delay);
      await options.sleep(delay);
    }
  }
}
