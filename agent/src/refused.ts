// What the agent refuses with: an HTTP status, a stable code programs branch on, and a message people
// read. The local API answers it in the NHSO agent's JSON shape (api/errors.ts).
export class Refused extends Error {
  override name = 'Refused';
  status: number;
  code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}
