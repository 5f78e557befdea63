// The "Read card" widget (views.ts, card-read.js in ../static) and what a form posted with it.
export { cardReader, type CardReaderView } from './views.ts';

/** The document a form posted: the one the button filled in, else the one pasted. */
export const postedCardRead = (fields: Record<string, unknown>): string => {
  const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  return text(fields.card_read) || text(fields.card_read_pasted);
};
