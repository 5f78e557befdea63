// Unit QR codes for the NHSO Authen Code service. A hospital prints one QR per service unit and
// service (claim type); a citizen scans it with their phone to ask for an Authen Code at that unit.
// The QR carries a short signed token (compact JWS, ES256) rather than a bare unit code, so that a
// forged poster (someone else's QR stuck over the real one) or a stale one (a unit that moved or
// stopped a service) cannot send people to the wrong unit: verification checks our signature, the
// token type and its expiry. A short typed code (hcode-XXXX) is printed under the QR for people who
// cannot scan; it is not signed, so whoever accepts it must confirm the unit with the person.
import { CompactSign, calculateJwkThumbprint, compactVerify, importJWK, type JWK } from 'jose';
import jsQRModule from 'jsqr';
import QRCode from 'qrcode';
import sharp from 'sharp';
import { ensureEcKeyFile } from '../key_file.ts';

export type { JWK };

export interface UnitQr {
  /** 5-digit hospital code (HCODE). */
  hcode: string;
  /** NHSO claim type, e.g. PG0060001. */
  claimType: string;
  /** Expiry, unix seconds. */
  exp: number;
}

export type QrErrorReason = 'expired' | 'forged' | 'malformed';

const MESSAGES: Record<QrErrorReason, { th: string; en: string }> = {
  expired: {
    th: 'คิวอาร์โค้ดนี้หมดอายุแล้ว ขอรหัสใหม่จากเจ้าหน้าที่',
    en: 'This QR code has expired; ask the staff for a current one.',
  },
  forged: {
    th: 'ตรวจสอบไม่ได้ว่าคิวอาร์โค้ดนี้ออกโดยหน่วยบริการจริง โปรดอย่าใช้ และแจ้งเจ้าหน้าที่',
    en: 'This QR code could not be verified as issued by the hospital; do not use it, and tell the staff.',
  },
  malformed: {
    th: 'นี่ไม่ใช่คิวอาร์โค้ดของจุดบริการ โปรดสแกนคิวอาร์โค้ดที่ติดไว้ที่จุดบริการ หรือพิมพ์รหัสสั้นที่อยู่ใต้คิวอาร์โค้ด',
    en: 'This is not a service-point QR code; scan the QR code posted at the service point, or type the short code printed under it.',
  },
};

export class QrError extends Error {
  override name = 'QrError';
  reason: QrErrorReason;
  messages: { th: string; en: string };
  constructor(reason: QrErrorReason, options?: { cause?: unknown }) {
    super(MESSAGES[reason].en, options);
    this.reason = reason;
    this.messages = { ...MESSAGES[reason] };
  }
}

export interface QrSigner {
  /** A compact JWS for this unit and service, valid for ttlSeconds. */
  sign(hcode: string, claimType: string, ttlSeconds: number): Promise<string>;
  /** The unit and service of a token this signer issued; throws QrError otherwise. */
  verify(token: string): Promise<UnitQr>;
  /** The public half of the signing key (with kid), e.g. for publishing. */
  publicJwk: JWK;
}

const TYP = 'unit-qr+jwt';
const ALG = 'ES256';
const CLOCK_TOLERANCE = 60; // seconds
const MAX_TOKEN_LENGTH = 2048; // far more than a unit token needs; a QR holds at most ~2.9 kB
const HCODE = /^\d{5}$/;
const CLAIM_TYPE = /^PG\d{7}$/;
const B64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** kid for a key without one: a prefix of its RFC 7638 thumbprint (short, to keep the QR small). */
async function defaultKid(jwk: JWK): Promise<string> {
  return (await calculateJwkThumbprint(jwk, 'sha256')).slice(0, 16);
}

function isP256Private(jwk: unknown): jwk is JWK & { kty: 'EC'; crv: 'P-256'; x: string; y: string; d: string } {
  if (!jwk || typeof jwk !== 'object') return false;
  const k = jwk as Record<string, unknown>;
  return (
    k.kty === 'EC' &&
    k.crv === 'P-256' &&
    typeof k.x === 'string' &&
    typeof k.y === 'string' &&
    typeof k.d === 'string' &&
    (k.alg === undefined || k.alg === ALG) &&
    (k.kid === undefined || (typeof k.kid === 'string' && k.kid.length > 0))
  );
}

/** A signer from a configured private key (EC P-256 JWK with d; kid optional). */
export async function qrSignerFromJwk(privateJwk: JWK): Promise<QrSigner> {
  if (!isP256Private(privateJwk)) throw new TypeError('unit QR signing key must be an EC P-256 private JWK (ES256)');
  const { kty, crv, x, y } = privateJwk;
  const kid = privateJwk.kid ?? (await defaultKid({ kty, crv, x, y }));
  const publicJwk: JWK = { kty, crv, x, y, kid, alg: ALG, use: 'sig' };
  const privateKey = await importJWK({ kty, crv, x, y, d: privateJwk.d }, ALG);
  const publicKey = await importJWK({ kty, crv, x, y }, ALG);

  async function sign(hcode: string, claimType: string, ttlSeconds: number): Promise<string> {
    if (typeof hcode !== 'string' || !HCODE.test(hcode)) throw new RangeError('hcode must be 5 digits');
    if (typeof claimType !== 'string' || !CLAIM_TYPE.test(claimType)) throw new RangeError('claimType must look like PG0060001');
    if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw new RangeError('ttlSeconds must be a positive integer');
    const iat = nowSeconds();
    const payload = { hcode, svc: claimType, exp: iat + ttlSeconds, iat };
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: ALG, typ: TYP, kid })
      .sign(privateKey);
  }

  async function verify(token: string): Promise<UnitQr> {
    // Not shaped like a compact JWS with a JSON header: not one of ours at all.
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) throw new QrError('malformed');
    const parts = token.trim().split('.');
    if (parts.length !== 3 || !parts.every((p) => B64URL_SEGMENT.test(p))) throw new QrError('malformed');
    let header: unknown;
    try {
      header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    } catch (cause) {
      throw new QrError('malformed', { cause });
    }
    if (!header || typeof header !== 'object' || Array.isArray(header)) throw new QrError('malformed');

    // A JWS that our key did not sign (another key, altered bytes, alg none/HS256...): forged.
    let payloadBytes: Uint8Array;
    let protectedHeader: { typ?: unknown };
    try {
      ({ payload: payloadBytes, protectedHeader } = await compactVerify(parts.join('.'), publicKey, { algorithms: [ALG] }));
    } catch (cause) {
      throw new QrError('forged', { cause });
    }
    // Signed by us but for another purpose: not a unit QR, so treat as forged.
    if (protectedHeader.typ !== TYP) throw new QrError('forged');

    let payload: unknown;
    try {
      payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(payloadBytes));
    } catch (cause) {
      throw new QrError('malformed', { cause });
    }
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new QrError('malformed');
    const p = payload as Record<string, unknown>;
    if (
      typeof p.hcode !== 'string' ||
      !HCODE.test(p.hcode) ||
      typeof p.svc !== 'string' ||
      !CLAIM_TYPE.test(p.svc) ||
      !Number.isSafeInteger(p.exp) ||
      !Number.isSafeInteger(p.iat)
    ) {
      throw new QrError('malformed');
    }
    const exp = p.exp as number;
    if (nowSeconds() > exp + CLOCK_TOLERANCE) throw new QrError('expired');
    return { hcode: p.hcode, claimType: p.svc, exp };
  }

  return { sign, verify, publicJwk };
}

/**
 * Test zone: a signer whose private key lives in `file` (created on first use with mode 0600,
 * creating directories; read on later calls). Production configures the key: qrSignerFromJwk.
 */
export async function loadQrSigner(file: string): Promise<QrSigner> {
  const jwk = await ensureEcKeyFile(file, defaultKid);
  if (!isP256Private(jwk)) throw new Error(`unit QR key file ${file} does not hold an EC P-256 private JWK`);
  return qrSignerFromJwk(jwk);
}

/** The QR as an SVG document (error correction M, 2-module quiet zone). */
export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The QR as a PNG, `width` pixels wide (default 512). */
export function qrPng(text: string, width = 512): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width });
}

const MAX_INPUT_PIXELS = 40_000_000; // refuses decompression bombs before they are decoded
const MAX_DECODE_SIDE = 1600;

// jsqr is CommonJS: module.exports is the function (which also carries itself as .default), while its
// typings describe an ES default export, so TypeScript sees the default import as the module.
const jsQR: typeof jsQRModule.default =
  typeof jsQRModule.default === 'function' ? jsQRModule.default : (jsQRModule as unknown as typeof jsQRModule.default);

/** The text of the QR code in an image (e.g. an uploaded photo); undefined if none or not an image. */
export async function decodeQrImage(image: Buffer): Promise<string | undefined> {
  if (!Buffer.isBuffer(image) || image.length === 0) return undefined;
  try {
    const { data, info } = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS })
      .rotate()
      .resize({ width: MAX_DECODE_SIDE, height: MAX_DECODE_SIDE, fit: 'inside', withoutEnlargement: true })
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4 || data.length !== info.width * info.height * 4) return undefined;
    const found = jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.length), info.width, info.height);
    return found && found.data.length > 0 ? found.data : undefined;
  } catch {
    return undefined;
  }
}

const SHORT_CLAIM_TYPE = /^PG(\d{4})001$/;

/**
 * A code a person can type instead of scanning: `${hcode}-${claimType.slice(2, 6)}`, e.g.
 * 10699-0060 for PG0060001 (claim types are PG00X0001 / PG0XX0001, so the four digits after PG
 * identify the service). Throws for values outside that form.
 */
export function shortUnitCode(hcode: string, claimType: string): string {
  if (typeof hcode !== 'string' || !HCODE.test(hcode)) throw new RangeError('hcode must be 5 digits');
  const m = typeof claimType === 'string' ? SHORT_CLAIM_TYPE.exec(claimType) : null;
  if (!m) throw new RangeError('claimType must look like PG0060001 (PG, four digits, 001)');
  return `${hcode}-${m[1]}`;
}

/** Reads a typed short code (spaces, Thai digits, dash variants or no dash accepted); undefined otherwise. */
export function parseShortUnitCode(code: string): { hcode: string; claimType: string } | undefined {
  if (typeof code !== 'string' || code.length > 64) return undefined;
  const normal = code
    .replace(/[\u0E50-\u0E59]/g, (d) => String(d.charCodeAt(0) - 0x0e50)) // Thai digits ๐-๙
    .replace(/[\u2010-\u2015\u2212\uFE63\uFF0D]/g, '-')
    .replace(/\s+/g, '');
  const m = /^(\d{5})-?(\d{4})$/.exec(normal);
  if (!m) return undefined;
  return { hcode: m[1], claimType: `PG${m[2]}001` };
}
