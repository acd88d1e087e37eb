import { describe, expect, it } from 'vitest';
import { SeriesTagCache } from '../src/domain/series-tag-cache.js';
import { recordOf as record } from './series-fields.js';

const FIELDS = ['tc-1', 'lyon', 'pont', 'mobility', 'mobility.vehicle_count', 'count'];
const BASE = ',device=tc-1,domain=mobility,metric=mobility.vehicle_count,site=pont,tenant=lyon,unit=count';

describe('series tag cache', () => {
  it('series tag cache should find a series by the bytes of a record, wherever its fields lie', () => {
    const cache = new SeriesTagCache();
    const first = cache.seriesIn(...record([...FIELDS, '{}']));
    expect(first?.tags).toBe(BASE);
    expect(first?.bytes.toString()).toBe(BASE);
    expect(cache.seriesIn(...record([...FIELDS, '{}'], 'another filler'))).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('series tag cache should tell series apart by any of their fields', () => {
    const cache = new SeriesTagCache();
    for (let i = 0; i < FIELDS.length; i++) {
      const fields = [...FIELDS];
      fields[i] = `${fields[i]}x`;
      expect(cache.seriesIn(...record([...fields, '{}']))?.tags).not.toBe(BASE);
    }
    expect(cache.seriesIn(...record([...FIELDS, '{"vehicleClass":"bus"}']))?.tags).toBe(
      `${BASE},vehicleClass=bus`,
    );
    expect(cache.seriesIn(...record([...FIELDS, '{}']))?.tags).toBe(BASE);
    expect(cache.size).toBe(FIELDS.length + 2);
  });

  it('series tag cache should decode the UTF-8 of a new series', () => {
    const cache = new SeriesTagCache();
    const fields = ['d-1', 'lyon', 'école jaurès', 'water', 'water.flow', 'm³/h', '{"zone":"nord ✓"}'];
    expect(cache.seriesIn(...record(fields))?.tags).toBe(
      ',device=d-1,domain=water,metric=water.flow,site=école\\ jaurès,tenant=lyon,unit=m³/h,zone=nord\\ ✓',
    );
    expect(cache.seriesIn(...record(fields, 'é'))?.tags).toBe(cache.seriesIn(...record(fields))?.tags);
    expect(cache.size).toBe(1);
  });
});
