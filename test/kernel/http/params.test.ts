// Ids, days and uuids are parsed, not pattern-matched: what passes is what the database can cast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDay, parseId, parseUuid } from '../../../src/kernel/http/params.ts';

test('an id is a positive decimal integer the database and JavaScript agree on', () => {
  for (const ok of ['1', '42', '9007199254740991']) assert.equal(parseId(ok), Number(ok));
  for (const bad of ['abc', '1e309', '1e3', '-1', '0', '01', '0x10', '1.5', ' 1', '', '9007199254740993', '99999999999999999999', undefined, 7, ['1']]) {
    assert.equal(parseId(bad), undefined, String(bad));
  }
});

test('a day is YYYY-MM-DD and exists in the calendar', () => {
  for (const ok of ['2026-02-28', '2024-02-29', '2000-02-29', '0099-01-01', '9999-12-31']) assert.equal(parseDay(ok), ok);
  for (const bad of ['2026-02-30', '2026-02-29', '1900-02-29', '2026-13-01', '2026-00-10', '2026-04-31', '0000-01-01', '2026-1-1', '2026-01-01T00:00', '', undefined, 20260101]) {
    assert.equal(parseDay(bad), undefined, String(bad));
  }
});

test('a uuid has its 8-4-4-4-12 hex digits', () => {
  assert.equal(parseUuid('0B8E5C1A-3F7D-4E2A-9C1B-5D6E7F8A9B0C'), '0b8e5c1a-3f7d-4e2a-9c1b-5d6e7f8a9b0c');
  for (const bad of ['-'.repeat(36), '0b8e5c1a3f7d4e2a9c1b5d6e7f8a9b0c----', '0b8e5c1a-3f7d-4e2a-9c1b-5d6e7f8a9b0g', '0b8e5c1a-3f7d-4e2a-9c1b-5d6e7f8a9b0c0', '', undefined]) {
    assert.equal(parseUuid(bad), undefined, String(bad));
  }
});
