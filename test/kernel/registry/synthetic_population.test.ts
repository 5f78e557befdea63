// The test zone's synthetic population file: what a person trying the test zone reads off it to
// register as one of its people (the birth date as the form takes it, next to the chip's form).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { POPULATION_COLUMNS, writePopulationCsv } from '../../../src/kernel/registry/synthetic_population.ts';
import { isValidPid } from '../../../src/kernel/thai/pid.ts';

test('each person has a valid ID number and the birth date in both eras, the same day', async () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (b: Buffer) => (text += b));
  await writePopulationCsv(out, 200, 7);
  const [header, ...rows] = text.trim().split('\n');
  assert.deepEqual(header!.split(','), POPULATION_COLUMNS);
  assert.equal(rows.length, 200);
  for (const line of rows) {
    const row = Object.fromEntries(line.split(',').map((v, i) => [POPULATION_COLUMNS[i]!, v]));
    assert.ok(isValidPid(row.pid!), row.pid);
    const [y, m, d] = row.birthdate!.split('-').map(Number) as [number, number, number];
    assert.equal(row.birthdate_be, `${y + 543}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`);
    const day = new Date(Date.UTC(y, m - 1, d));
    assert.equal(day.toISOString().slice(0, 10), row.birthdate, 'a day of the calendar');
  }
});
