// The time our own rules read (TOTP steps, code expiry, back-off windows, the Thai day of service):
// milliseconds since the epoch. Services take one as an optional dependency; tests pass their own and
// move it instead of sleeping.
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();
