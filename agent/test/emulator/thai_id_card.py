#!/usr/bin/python3
"""An emulated Thai national ID card for vpcd (python3-virtualsmartcard).

    thai_id_card.py --port PORT --fixture FILE.json [--atr 3b68|3b67|3b79]
                    [--slow MS] [--fault wrong_aid|garbage|short|remove_mid_read]

Each option can also come from the environment: THAI_ID_PORT, THAI_ID_FIXTURE,
THAI_ID_ATR, THAI_ID_SLOW_MS, THAI_ID_FAULT.

The card speaks what the MOI applet speaks: SELECT by AID, the proprietary read
`80 B0 P1 P2 02 00 LL` answered with `61 LL`, then GET RESPONSE `00 C0 00 P2 LL`.
A 3B 67 card only accepts P2=01 and the others only P2=00, so a reader that gets
the ATR rule wrong fails against it.
"""
import argparse
import json
import logging
import os
import socket
import sys
import time

sys.path.insert(0, '/usr/lib/python3/site-packages/virtualsmartcard')
import Cryptodome  # noqa: E402  Debian ships pycryptodome as Cryptodome only

sys.modules.setdefault('Crypto', Cryptodome)
from virtualsmartcard.VirtualSmartcard import SmartcardOS, VirtualICC  # noqa: E402

MOI_AID = bytes.fromhex('A000000054480001')

ATRS = {
    '3b68': bytes.fromhex('3B6800005448204E49442036'),
    '3b67': bytes.fromhex('3B67000073200068689000'),
    '3b79': bytes.fromhex('3B791800005448204E4944203130'),
}

OFFSET_PID = 0x0004
OFFSET_NAME_TH = 0x0011
OFFSET_NAME_EN = 0x0075
OFFSET_BIRTH = 0x00D9
OFFSET_GENDER = 0x00E1
OFFSET_ISSUER = 0x00F6
OFFSET_ISSUE = 0x0167
OFFSET_EXPIRY = 0x016F
OFFSET_PHOTO = 0x017B
PHOTO_CHUNK = 0xFF
PHOTO_CHUNKS = 20
OFFSET_ADDRESS = 0x1579
MEMORY_SIZE = 0x1600

ADDRESS_FIELDS = ('house_no', 'moo', 'trok', 'soi', 'road', 'subdistrict', 'district', 'province')

SW_OK = b'\x90\x00'
SW_FILE_NOT_FOUND = b'\x6A\x82'
SW_WRONG_P1P2 = b'\x6A\x86'
SW_CONDITIONS = b'\x69\x85'
SW_INS_UNKNOWN = b'\x6D\x00'
SW_CLA_UNKNOWN = b'\x6E\x00'


def tis620(text):
    return text.encode('tis-620')


def padded(data, length):
    if len(data) > length:
        raise ValueError('field longer than %d bytes' % length)
    return data + b' ' * (length - len(data))


def name_field(fixture, suffix, encode):
    parts = [fixture.get('title_' + suffix, ''), fixture.get('given_name_' + suffix, ''),
             fixture.get('middle_name_' + suffix, ''), fixture.get('family_name_' + suffix, '')]
    return padded(encode('#'.join(parts)), 100)


def card_memory(fixture, fixture_dir, fault):
    mem = bytearray(MEMORY_SIZE)
    pid = fixture['pid']
    if fault == 'garbage':
        pid = pid[:5] + 'X?' + pid[7:]
    mem[OFFSET_PID:OFFSET_PID + 13] = pid.encode('ascii')
    mem[OFFSET_NAME_TH:OFFSET_NAME_TH + 100] = name_field(fixture, 'th', tis620)
    mem[OFFSET_NAME_EN:OFFSET_NAME_EN + 100] = name_field(fixture, 'en', lambda s: s.encode('ascii'))
    mem[OFFSET_BIRTH:OFFSET_BIRTH + 8] = fixture['birthdate_be'].encode('ascii')
    mem[OFFSET_GENDER:OFFSET_GENDER + 1] = fixture['gender'].encode('ascii')
    mem[OFFSET_ISSUER:OFFSET_ISSUER + 100] = padded(tis620(fixture['issuer']), 100)
    mem[OFFSET_ISSUE:OFFSET_ISSUE + 8] = fixture['issue_date_be'].encode('ascii')
    mem[OFFSET_EXPIRY:OFFSET_EXPIRY + 8] = fixture['expiry_date_be'].encode('ascii')
    address = fixture.get('address') or {}
    mem[OFFSET_ADDRESS:OFFSET_ADDRESS + 100] = padded(
        tis620('#'.join(address.get(k, '') for k in ADDRESS_FIELDS)), 100)
    photo = b''
    if fixture.get('photo'):
        with open(os.path.join(fixture_dir, fixture['photo']), 'rb') as f:
            photo = f.read()
    size = PHOTO_CHUNK * PHOTO_CHUNKS
    if len(photo) > size:
        raise ValueError('photo larger than %d bytes' % size)
    # Real cards pad the JPEG with zeros up to the 5,100-byte area.
    mem[OFFSET_PHOTO:OFFSET_PHOTO + size] = photo + b'\x00' * (size - len(photo))
    return bytes(mem)


class QuickAckSocket:
    """vpcd writes a frame's length and its payload separately; without quick ACKs, Nagle
    on its side and delayed ACKs on ours cost ~40 ms per APDU."""

    def __init__(self, sock):
        self.sock = sock
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def recv(self, size):
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        return self.sock.recv(size)

    def __getattr__(self, name):
        return getattr(self.sock, name)


class ThaiIdOS(SmartcardOS):
    def __init__(self, memory, atr_kind, slow_ms, fault):
        self.memory = memory
        self.atr_kind = atr_kind
        self.slow_ms = slow_ms
        self.fault = fault
        self.selected = False
        self.pending = None

    def getATR(self):
        return ATRS[self.atr_kind]

    def powerUp(self):
        self.reset()

    def powerDown(self):
        self.reset()

    def reset(self):
        self.selected = False
        self.pending = None

    def get_response_p2(self):
        return 0x01 if self.atr_kind == '3b67' else 0x00

    def execute(self, msg):
        if self.slow_ms:
            time.sleep(self.slow_ms / 1000)
        if len(msg) < 4:
            return SW_CONDITIONS
        cla, ins, p1, p2 = msg[0], msg[1], msg[2], msg[3]
        if cla == 0x00 and ins == 0xA4:
            return self.select(msg)
        if cla == 0x80 and ins == 0xB0:
            return self.read(p1, p2, msg)
        if cla == 0x00 and ins == 0xC0:
            return self.get_response(p1, p2, msg)
        if cla not in (0x00, 0x80):
            return SW_CLA_UNKNOWN
        return SW_INS_UNKNOWN

    def select(self, msg):
        if msg[2:4] != b'\x04\x00' or len(msg) < 5 or msg[5:5 + msg[4]] != MOI_AID or self.fault == 'wrong_aid':
            self.selected = False
            return SW_FILE_NOT_FOUND
        self.selected = True
        return b'\x61\x0A'

    def read(self, p1, p2, msg):
        if not self.selected:
            return SW_CONDITIONS
        if len(msg) != 7 or msg[4] != 0x02 or msg[5] != 0x00:
            return SW_WRONG_P1P2
        offset, length = (p1 << 8) | p2, msg[6]
        if offset + length > len(self.memory):
            return SW_WRONG_P1P2
        if self.fault == 'remove_mid_read' and offset >= OFFSET_PHOTO + 10 * PHOTO_CHUNK and offset < OFFSET_ADDRESS:
            logging.warning('remove_mid_read: pulling the card out at offset %#x', offset)
            os._exit(0)
        self.pending = self.memory[offset:offset + length]
        return bytes([0x61, length])

    def get_response(self, p1, p2, msg):
        if self.pending is None:
            return SW_CONDITIONS
        if p1 != 0x00 or p2 != self.get_response_p2():
            return SW_WRONG_P1P2
        le = msg[4] if len(msg) >= 5 else 0
        if le != len(self.pending):
            return bytes([0x6C, len(self.pending)])
        data, self.pending = self.pending, None
        if self.fault == 'short':
            data = data[:max(1, len(data) // 2)]
        return data + SW_OK


def main():
    parser = argparse.ArgumentParser(description='Thai national ID card emulator for vpcd')
    parser.add_argument('--port', type=int, default=int(os.environ.get('THAI_ID_PORT', '35963')))
    parser.add_argument('--fixture', default=os.environ.get('THAI_ID_FIXTURE'))
    parser.add_argument('--atr', choices=sorted(ATRS), default=os.environ.get('THAI_ID_ATR', '3b68'))
    parser.add_argument('--slow', type=int, default=int(os.environ.get('THAI_ID_SLOW_MS', '0')), help='delay per APDU, ms')
    parser.add_argument('--fault', choices=['wrong_aid', 'garbage', 'short', 'remove_mid_read'],
                        default=os.environ.get('THAI_ID_FAULT') or None)
    args = parser.parse_args()
    if not args.fixture:
        parser.error('--fixture is required')
    with open(args.fixture, encoding='utf-8') as f:
        fixture = json.load(f)
    memory = card_memory(fixture, os.path.dirname(os.path.abspath(args.fixture)), args.fault)

    icc = VirtualICC(None, 'iso7816', 'localhost', args.port, logginglevel=logging.WARNING)
    icc.sock = QuickAckSocket(icc.sock)
    icc.os = ThaiIdOS(memory, args.atr, args.slow, args.fault)
    icc.run()


if __name__ == '__main__':
    main()
