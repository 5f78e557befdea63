export type CardErrorCode =
  | 'no_reader'
  | 'no_card'
  | 'card_removed'
  | 'timeout'
  | 'not_thai_id'
  | 'malformed'
  | 'reader_busy'
  | 'pcsc_unavailable';

/** Why a card could not be read. Messages never carry what is on the card. */
export class CardError extends Error {
  code: CardErrorCode;

  constructor(code: CardErrorCode, message: string) {
    super(message);
    this.name = 'CardError';
    this.code = code;
  }
}
