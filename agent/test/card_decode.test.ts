import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exchange, getResponseP2, readBytes, readCommand, selectCommand, MOI_AID } from '../src/card/apdu.ts';
import { decodeAddress, decodeName, decodeText, isBeDate, isValidPid, pidCheckDigit, trimJpeg } from '../src/card/decode.ts';
import { CardError } from '../src/card/errors.ts';
import { readThaiIdCard } from '../src/card/thai_id.ts';
import { fixtures } from './helpers/pcsc.ts';

// "สมชาย" in TIS-620
const SOMCHAI_TIS620 = Buffer.from([0xca, 0xc1, 0xaa, 0xd2, 0xc2]);

function spacePadded(bytes: Buffer, length: number): Buffer {
  return Buffer.concat([bytes, Buffer.alloc(length - bytes.length, 0x20)]);
}

function isCardError(code: string) {
  return (e: unknown) => e instanceof CardError && e.code === code;
}

describe('decoding', () => {
  it('decodes TIS-620 and drops space and NUL padding', () => {
    assert.equal(decodeText(spacePadded(SOMCHAI_TIS620, 20)), 'สมชาย');
    assert.equal(decodeText(Buffer.from([0x00, 0x20, 0xb9, 0xd2, 0xc2, 0x00, 0x00])), 'นาย');
  });

  it('splits prefix#first#middle#last names', () => {
    const name = Buffer.concat([Buffer.from([0xb9, 0xd2, 0xc2]), Buffer.from('#'), SOMCHAI_TIS620, Buffer.from('##'), Buffer.from([0xe3, 0xa8, 0xb4, 0xd5])]);
    assert.deepEqual(decodeName(spacePadded(name, 100)), { title: 'นาย', given: 'สมชาย', middle: '', family: 'ใจดี' });
    assert.deepEqual(decodeName(spacePadded(Buffer.from('Miss#Malee#Sri#Rakthai'), 100)),
      { title: 'Miss', given: 'Malee', middle: 'Sri', family: 'Rakthai' });
  });

  it('reads the 8 address fields, empty ones included', () => {
    const text = '99/1#หมู่ที่ 4###ถนนสีลม#แขวงสุริยวงศ์#เขตบางรัก#กรุงเทพมหานคร';
    const bytes = spacePadded(tis620(text), 100);
    assert.deepEqual(decodeAddress(bytes), {
      house_no: '99/1', moo: 'หมู่ที่ 4', trok: '', soi: '', road: 'ถนนสีลม',
      subdistrict: 'แขวงสุริยวงศ์', district: 'เขตบางรัก', province: 'กรุงเทพมหานคร',
    });
    assert.equal(decodeAddress(spacePadded(Buffer.from('1#2'), 20)).province, '');
  });

  it('checks the citizen ID check digit', () => {
    assert.equal(pidCheckDigit('110170020345'), 0);
    assert.equal(pidCheckDigit('310060012347'), 6);
    assert.ok(isValidPid(fixtures.somchai.pid));
    assert.ok(isValidPid(fixtures.malee.pid));
    assert.ok(!isValidPid('3100600123477'), 'wrong check digit');
    assert.ok(!isValidPid('310060012347'), 'twelve digits');
    assert.ok(!isValidPid('31006X0123476'), 'a letter');
  });

  it('accepts BE dates as on the chip and nothing else', () => {
    assert.ok(isBeDate('25250315'));
    assert.ok(isBeDate('24800000'), 'unknown birth month and day');
    assert.ok(!isBeDate('19820315'), 'a Gregorian year');
    assert.ok(!isBeDate('25251315'));
    assert.ok(!isBeDate('2525031'));
    assert.ok(!isBeDate('99999999'));
    assert.ok(isBeDate('99999999', { lifetime: true }), 'a lifetime card');
  });

  it('trims the photo after its end of image marker', () => {
    const jpeg = fixtures.somchai.photo;
    const area = Buffer.concat([jpeg, Buffer.alloc(5100 - jpeg.length)]);
    assert.deepEqual(trimJpeg(area), jpeg);
    assert.throws(() => trimJpeg(Buffer.alloc(5100)), isCardError('malformed'));
    assert.throws(() => trimJpeg(Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.alloc(100)])), isCardError('malformed'));
  });
});

describe('APDUs', () => {
  it('builds select and read commands', () => {
    assert.equal(selectCommand(MOI_AID).toString('hex'), '00a4040008a000000054480001');
    assert.equal(readCommand(0x1579, 0x64).toString('hex'), '80b0157902' + '0064');
    assert.equal(readCommand(0x017b + 19 * 0xff, 0xff).toString('hex'), '80b0146802' + '00ff');
  });

  it('takes GET RESPONSE P2 from the ATR', () => {
    assert.equal(getResponseP2(Buffer.from('3b67000073200068689000', 'hex')), 1);
    assert.equal(getResponseP2(Buffer.from('3b6800005448204e49442036', 'hex')), 0);
    assert.equal(getResponseP2(Buffer.from('3b791800005448204e4944203130', 'hex')), 0);
  });

  it('follows 61 xx with GET RESPONSE and resends on 6C xx', async () => {
    const sent: string[] = [];
    const answers = ['610d', '6c0d', '31323334353637383930313233' + '9000'];
    const transmit = async (apdu: Buffer) => { sent.push(apdu.toString('hex')); return Buffer.from(answers.shift()!, 'hex'); };
    const data = await readBytes(transmit, 1, 0x0004, 0x0d);
    assert.equal(data.toString(), '1234567890123');
    assert.deepEqual(sent, ['80b000040200' + '0d', '00c000010d', '00c000010d']);
  });

  it('gives up on a card that never stops answering 61 xx', async () => {
    await assert.rejects(exchange(async () => Buffer.from('6101', 'hex'), readCommand(4, 13), 0), isCardError('malformed'));
  });

  it('refuses answers of the wrong length', async () => {
    const answers = ['610d', '313233' + '9000'];
    await assert.rejects(readBytes(async () => Buffer.from(answers.shift()!, 'hex'), 0, 4, 13), isCardError('malformed'));
  });
});

describe('readThaiIdCard over a fake transmit', () => {
  it('says not_thai_id when the applet is missing', async () => {
    await assert.rejects(readThaiIdCard(async () => Buffer.from('6a82', 'hex'), Buffer.from('3b68', 'hex'), { photo: false }),
      isCardError('not_thai_id'));
  });
});

function tis620(text: string): Buffer {
  // The Thai block U+0E01…U+0E5B maps to 0xA1…0xFB; ASCII stays as is.
  return Buffer.from([...text].map((c) => {
    const code = c.codePointAt(0)!;
    return code >= 0x0e01 && code <= 0x0e5b ? code - 0x0e01 + 0xa1 : code;
  }));
}
