// Every time a page shows is Bangkok time, whatever the server's zone: Buddhist-era dates and "น." on
// Thai pages, Common-Era dates in English; the day turns at Bangkok's midnight, not UTC's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateTime, formatDay, formatTimeOfDay } from '../../../src/kernel/thai/time.ts';
import { formatShortDate } from '../../../src/kernel/thai/dates.ts';
import { timeTag } from '../../../src/kernel/web/time.ts';

const AT = new Date('2026-12-02T04:16:30Z'); // 11:16 in Bangkok

test('a date and time in Bangkok time, Buddhist era in Thai, Common Era in English', () => {
  assert.equal(formatDateTime(AT, 'th'), '2 ธ.ค. 2569 11:16 น.');
  assert.equal(formatDateTime(AT, 'en'), '2 Dec 2026, 11:16');
  assert.equal(formatDateTime(AT.toISOString(), 'th'), '2 ธ.ค. 2569 11:16 น.', 'from an ISO string');
  assert.equal(formatDateTime(AT.getTime(), 'en'), '2 Dec 2026, 11:16', 'from milliseconds');
});

test("the day turns at Bangkok's midnight: 17:30 UTC is already the next day", () => {
  const late = new Date('2026-12-31T17:30:00Z');
  assert.equal(formatDateTime(late, 'th'), '1 ม.ค. 2570 00:30 น.');
  assert.equal(formatDateTime(late, 'en'), '1 Jan 2027, 00:30');
  assert.equal(formatDay(late, 'th'), '1 ม.ค. 2570');
  assert.equal(formatDay(late, 'en', 'long'), '1 January 2027');
  assert.equal(formatDay(late, 'th', 'long'), '1 มกราคม 2570');
  assert.equal(formatTimeOfDay(late, 'th'), '00:30 น.');
  assert.equal(formatTimeOfDay(late, 'en'), '00:30');
});

test('short dates of every month in both languages', () => {
  const th = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
  const en = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  for (let m = 1; m <= 12; m++) {
    const iso = `2027-${String(m).padStart(2, '0')}-15`;
    assert.equal(formatShortDate(iso, 'th'), `15 ${th[m - 1]} 2570`);
    assert.equal(formatShortDate(iso, 'en'), `15 ${en[m - 1]} 2027`);
  }
});

test('<time> carries the instant with its +07:00 offset and shows it in words', () => {
  assert.equal(timeTag(AT, 'th').value, '<time datetime="2026-12-02T11:16:30+07:00">2 ธ.ค. 2569 11:16 น.</time>');
  assert.equal(timeTag(AT, 'en', 'day').value, '<time datetime="2026-12-02">2 Dec 2026</time>');
});
