/**
 * The profile mapping's JSON (src/audit/private/mapping-format.ts): a version 2 team document holds the team's
 * fields once and, per profile, only what differs; expanding it gives back every profile with all of its fields.
 */
import { MappingProfile, expandTeamDocument, teamDocument } from '../../src/audit/private/mapping-format';

const TEAM = { team: 'search', routing: 'us', interactive: true, cacheWriteTtl: '5m' };

describe('the version 2 team document', () => {
  test('the team\'s fields once; a profile names only the fields where it differs from the team', () => {
    const profiles: MappingProfile[] = [
      { ...TEAM, profile: 'aaaaaaaaaaaa', modelId: 'm1' },
      { ...TEAM, profile: 'bbbbbbbbbbbb', modelId: 'm2', routing: 'global' },
      { profile: 'cccccccccccc', modelId: 'm3', team: 'other', routing: 'in-region', interactive: false, cacheWriteTtl: '1h' },
    ];
    const doc = teamDocument(TEAM, profiles);
    expect(JSON.stringify(doc)).toBe('{"version":2,"team":"search","routing":"us","interactive":true,"cacheWriteTtl":"5m","profiles":['
      + '{"profile":"aaaaaaaaaaaa","modelId":"m1"},'
      + '{"profile":"bbbbbbbbbbbb","modelId":"m2","routing":"global"},'
      + '{"profile":"cccccccccccc","modelId":"m3","team":"other","routing":"in-region","interactive":false,"cacheWriteTtl":"1h"}]}');
    // the same information as one object per profile (version 1), field for field
    expect(expandTeamDocument(JSON.parse(JSON.stringify(doc)))).toEqual(profiles);
  });

  test('expanding leaves out the team fields a document does not have and passes entries that are not objects on', () => {
    expect(expandTeamDocument({ version: 2, team: 't', profiles: [{ profile: 'p', modelId: 'm' }, null, 'x', ['y']] }))
      .toEqual([{ team: 't', profile: 'p', modelId: 'm' }, null, 'x', ['y']]);
  });
});
