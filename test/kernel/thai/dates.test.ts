// Buddhist-era conversions and the shared date/time formats keep the exact forms both services show.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDate, fromBuddhistDate, parseBirthdate, toBuddhistDate, toBuddhistYear, toCommonEraYear } from '../../../src/kernel/thai/dates.ts';
import { isoDate } from '../../../src/kernel/registry/import.ts';

test('Buddhist-era years and the chip form of a date, both ways', () => {
  assert.equal(toBuddhistYear(1985), 2528);
  assert.equal(toCommonEraYear(2528), 1985);
  assert.equal(toCommonEraYear(1985), 1985, 'a year before 2400 is already CE');
  assert.equal(toBuddhistDate('1985-03-14'), '25280314');
  assert.equal(fromBuddhistDate('25280314'), '1985-03-14');
  assert.equal(fromBuddhistDate(toBuddhistDate('2000-02-29')), '2000-02-29');
});

test('people write either era; dates are stored in ISO and shown in the Buddhist era in Thai', () => {
  assert.deepEqual(parseBirthdate('14', '3', '2528', new Date('2026-01-01')), { ok: true, iso: '1985-03-14' });
  assert.deepEqual(parseBirthdate('14', '3', '1985', new Date('2026-01-01')), { ok: true, iso: '1985-03-14' });
  assert.equal(isoDate('14/03/2528'), '1985-03-14');
  assert.equal(formatDate('1985-03-14', 'th'), '14 มีนาคม 2528');
  assert.equal(formatDate('1985-03-14', 'en'), '14 March 1985');
});

