// What every area's rules refuse with: a message and the HTTP status the admin API answers with (the
// pages say it in words; mpid exits 1 with the message). Each area names its own subclass and adds what
// its pages need to place the refusal (what was refused, the field it is about).
export type RefusalStatus = 400 | 403 | 404 | 409;

export class AdminRefusal extends Error {
  readonly status: RefusalStatus;
  constructor(status: RefusalStatus, message: string) {
    super(message);
    this.status = status;
  }
}
