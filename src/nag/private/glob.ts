/**
 * Glob reasoning for IAM patterns (`*` = any string, `?` = any one character) in the nag rules.
 *
 * Values that only exist at deploy time are replaced by sentinel characters before matching:
 * - `TOKEN`: one deploy-time value (a pseudo parameter, an attribute): it may be any string, but it is
 *   not an IAM wildcard, so it never makes a pattern broader than the literal text around it.
 * - `OPAQUE`: a deploy-time value known not to be any of the literals the rules look for (e.g. the
 *   ARN of a resource of another service). It only matches wildcards.
 * - `UNKNOWN`: a value the rules cannot bound at all (a parameter, an unresolvable import); a rule
 *   that needs it throws, and the pack reports the error.
 */

/** One deploy-time value, not a wildcard. */
export const TOKEN = '\u0001';
/** A deploy-time value that can be anything, even `*`. */
export const UNKNOWN = '\u0002';
/** A deploy-time value known not to match the literals the rules test for. */
export const OPAQUE = '\u0003';

/** Wildcards and sentinels: text without them is a literal. */
const SPECIAL = /[*?\u0001\u0002\u0003]/;

/**
 * Answers of the glob questions, by pair: a pack run asks the same few (a policy's action and resource patterns
 * against the rules' shapes) for every statement of every team. Bounded, so a long-lived process does not grow.
 */
const INTERSECTS = new Map<string, boolean>();
const COVERS = new Map<string, boolean>();
const MEMO_LIMIT = 50_000;

function memoised(memo: Map<string, boolean>, a: string, b: string, compute: (a: string, b: string) => boolean): boolean {
  const key = `${a}\u0000${b}`;
  let answer = memo.get(key);
  if (answer === undefined) {
    answer = compute(a, b);
    if (memo.size >= MEMO_LIMIT) {
      memo.clear();
    }
    memo.set(key, answer);
  }
  return answer;
}

/** Whether the character can stand for any string when asking "can these two overlap?". */
function isAnyString(c: string): boolean {
  return c === '*' || c === TOKEN || c === UNKNOWN;
}

/** Whether the character can stand for any single character. */
function isAnyChar(c: string): boolean {
  return isAnyString(c) || c === '?';
}

/**
 * Whether some concrete string matches both patterns (language intersection of two globs).
 * `TOKEN` and `UNKNOWN` count as "any string" here, since the deployed value could be anything.
 */
export function globIntersects(a: string, b: string): boolean {
  if (!SPECIAL.test(a) && !SPECIAL.test(b)) {
    return a === b;
  }
  return memoised(INTERSECTS, a, b, computeIntersects);
}

function computeIntersects(a: string, b: string): boolean {
  const width = b.length + 1;
  const seen = new Set<number>();
  const todo: Array<[number, number]> = [[0, 0]];
  while (todo.length > 0) {
    const [i, j] = todo.pop()!;
    const key = i * width + j;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    if (i === a.length && j === b.length) {
      return true;
    }
    const ca = a[i];
    const cb = b[j];
    const aStar = ca !== undefined && isAnyString(ca);
    const bStar = cb !== undefined && isAnyString(cb);
    if (aStar) {
      todo.push([i + 1, j]);
    }
    if (bStar) {
      todo.push([i, j + 1]);
    }
    if (ca === undefined || cb === undefined) {
      continue;
    }
    if (isAnyChar(ca) || isAnyChar(cb) || ca === cb) {
      todo.push([aStar ? i : i + 1, bStar ? j : j + 1]);
    }
  }
  return false;
}

/**
 * Whether every string matched by `subject` is matched by `pattern` (a sound test: true means the
 * pattern certainly covers the subject). A `TOKEN` in the subject counts as any string (it could be
 * anything); a `TOKEN` in the pattern covers nothing (its value is unknown).
 */
export function globCovers(pattern: string, subject: string): boolean {
  if (!SPECIAL.test(pattern)) {
    return pattern === subject;
  }
  return memoised(COVERS, pattern, subject, computeCovers);
}

function computeCovers(pattern: string, subject: string): boolean {
  const memo = new Map<number, boolean>();
  const width = subject.length + 1;
  const covers = (i: number, j: number): boolean => {
    const key = i * width + j;
    const cached = memo.get(key);
    if (cached !== undefined) {
      return cached;
    }
    let result: boolean;
    const cp = pattern[i];
    const cs = subject[j];
    if (cp === undefined) {
      result = cs === undefined;
    } else if (cp === '*') {
      result = covers(i + 1, j) || (cs !== undefined && covers(i, j + 1));
    } else if (cs === undefined || isAnyString(cs)) {
      result = false;
    } else if (cp === '?') {
      result = covers(i + 1, j + 1);
    } else if (cp === TOKEN || cp === UNKNOWN || cs === '?') {
      result = false;
    } else {
      result = cp === cs && covers(i + 1, j + 1);
    }
    memo.set(key, result);
    return result;
  };
  return covers(0, 0);
}

/** Whether the text holds an IAM wildcard (`*` or `?`), as opposed to deploy-time values. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/** Whether the text holds a value the rules cannot bound. */
export function hasUnknown(text: string): boolean {
  return text.includes(UNKNOWN);
}
