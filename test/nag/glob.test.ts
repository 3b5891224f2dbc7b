/**
 * The glob and ARN reasoning under the policy rules, checked against brute force where it can be.
 */
import { ArnPattern, FOUNDATION_MODEL_SHAPE, SYSTEM_PROFILE_SHAPE, arnSegments } from '../../src/nag/private/arn';
import { OPAQUE, TOKEN, UNKNOWN, globCovers, globIntersects } from '../../src/nag/private/glob';

/** Every string over the alphabet up to the length. */
function strings(alphabet: string[], maxLength: number): string[] {
  let level = [''];
  const all = [''];
  for (let n = 0; n < maxLength; n++) {
    level = level.flatMap((s) => alphabet.map((c) => s + c));
    all.push(...level);
  }
  return all;
}

const regexes = new Map<string, RegExp>();

/** A reference glob matcher for strings without sentinels. */
function matches(pattern: string, text: string): boolean {
  let regex = regexes.get(pattern);
  if (regex === undefined) {
    regex = new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c)).join('')}$`);
    regexes.set(pattern, regex);
  }
  return regex.test(text);
}

describe('globIntersects and globCovers agree with brute force on short patterns', () => {
  const patterns = strings(['a', 'b', '*', '?'], 3);
  const texts = strings(['a', 'b'], 5);
  const matched = new Map<string, string[]>();
  const matchedTexts = (p: string) => {
    if (!matched.has(p)) {
      matched.set(p, texts.filter((t) => matches(p, t)));
    }
    return matched.get(p)!;
  };

  test('intersects', () => {
    const wrong: string[] = [];
    for (const a of patterns) {
      for (const b of patterns) {
        // A shared string, if any, exists with at most 5 characters: a pattern without `*` fixes the length
        // (<= 3), and two patterns with a `*` each have <= 2 other characters, so <= 4 characters suffice.
        const expected = matchedTexts(a).some((t) => matches(b, t));
        if (globIntersects(a, b) !== expected) {
          wrong.push(`${a} ${b}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  test('covers (sound: never claims coverage that does not hold; and finds it for the usual shapes)', () => {
    const wrong: string[] = [];
    let covered = 0;
    for (const p of patterns) {
      for (const s of patterns) {
        if (globCovers(p, s)) {
          covered++;
          if (matchedTexts(s).some((t) => !matches(p, t))) {
            wrong.push(`${p} ${s}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect([globCovers('*', 'a*b'), globCovers('a*', 'ab*'), globCovers('?*', 'a*'), globCovers('a*', '*')]).toEqual([true, true, true, false]);
    expect(covered).toBeGreaterThan(patterns.length);
  });

  test('covers is exact on literal subjects', () => {
    const wrong = patterns.flatMap((p) => texts.filter((t) => globCovers(p, t) !== matches(p, t)).map((t) => `${p} ${t}`));
    expect(wrong).toEqual([]);
  });
});

describe('sentinels', () => {
  test('a deploy-time value may be anything when asking for overlap, and covers nothing', () => {
    expect(globIntersects(`arn:${TOKEN}:x`, 'arn:aws:x')).toBe(true);
    expect(globCovers(`arn:${TOKEN}:x`, 'arn:aws:x')).toBe(false);
    expect(globCovers('arn:*:x', `arn:${TOKEN}:x`)).toBe(true);
    expect(globCovers('arn:a?:x', `arn:${TOKEN}:x`)).toBe(false);
  });

  test('an opaque value only meets wildcards', () => {
    expect(globIntersects(OPAQUE, 'arn:aws:bedrock:*')).toBe(false);
    expect(globIntersects(OPAQUE, '*')).toBe(true);
    expect(globIntersects(UNKNOWN, 'anything')).toBe(true);
  });
});

describe('ArnPattern', () => {
  test('splits like IAM: six parts, the resource keeps its colons, short patterns padded with *', () => {
    expect(arnSegments('arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0'))
      .toEqual(['arn', 'aws', 'bedrock', 'us-east-1', '', 'foundation-model/amazon.nova-lite-v1:0']);
    expect(arnSegments('arn:aws:bedrock')).toEqual(['arn', 'aws', 'bedrock', '*', '*', '*']);
    expect(arnSegments('*')).toBeUndefined();
  });

  test.each([
    ['*', true, true],
    ['arn:aws:bedrock:*::foundation-model/*', true, false],
    ['arn:aws:bedrock:us-east-1:111122223333:foundation-model/x', false, false],
    ['arn:aws:bedrock:*:*:*', true, true],
    ['arn:aws:bedrock:*:*:inference-profile/us.*', false, true],
    ['arn:aws:bedrock:*:*:application-inference-profile/*', false, false],
    ['arn:aws:s3:::*', false, false],
    // A wildcard does not cross a colon before the resource part.
    ['arn:aws:bedrock*', true, true],
    ['arn:aws:bed*:us-east-1:*:*', true, true],
    [`arn:${TOKEN}:bedrock:${TOKEN}::foundation-model/x`, true, false],
  ])('%s reaches foundation models: %s, system profiles: %s', (text, fm, sys) => {
    const pattern = new ArnPattern(text, text);
    expect([pattern.intersects(FOUNDATION_MODEL_SHAPE), pattern.intersects(SYSTEM_PROFILE_SHAPE)]).toEqual([fm, sys]);
  });

  test('coverage of every Bedrock resource within a partition', () => {
    const every = 'arn:*:bedrock:*:*:*';
    expect(new ArnPattern('arn:aws:bedrock:*:*:*', '').coversInItsPartition(every)).toBe(true);
    expect(new ArnPattern('arn:aws:bedrock:*:*:*', '').covers(every)).toBe(false);
    expect(new ArnPattern('arn:aws:bedrock:us-east-1:*:*', '').coversInItsPartition(every)).toBe(false);
    expect(new ArnPattern(`arn:aws:bedrock:${TOKEN}:*:*`, '').coversInItsPartition(every)).toBe(false);
  });

  test('unknown values', () => {
    expect(new ArnPattern(UNKNOWN, '').isUnknown).toBe(true);
    expect(new ArnPattern(TOKEN, '').isUnknown).toBe(true);
    expect(new ArnPattern(`arn:${TOKEN}:bedrock:::x`, '').isUnknown).toBe(false);
    expect(new ArnPattern(OPAQUE, '').isUnknown).toBe(false);
  });
});
