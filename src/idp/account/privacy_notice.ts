// The privacy notice (PDPA) people accept when they register; its version is recorded with the time.
export const PRIVACY_NOTICE_VERSION = '2026-11-01';
