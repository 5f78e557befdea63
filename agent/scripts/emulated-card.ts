// Try the agent without a reader (Linux, root): a private pcscd with the vpcd driver and an emulated
// Thai ID card in its first reader, the same as the tests use (test/helpers/pcsc.ts), until Ctrl-C.
//   node scripts/emulated-card.ts [--fixture somchai|malee] [--atr 3b67|3b68|3b79]
// Then start the agent with the printed PCSCLITE_CSOCK_NAME in its environment.
import { parseArgs } from 'node:util';
import { fixtures, startPcsc } from '../test/helpers/pcsc.ts';

const { values } = parseArgs({ options: { fixture: { type: 'string', default: 'somchai' }, atr: { type: 'string', default: '3b68' } } });
const fixture = values.fixture as 'somchai' | 'malee';
const atr = values.atr as '3b67' | '3b68' | '3b79';
if (!(fixture in fixtures) || !['3b67', '3b68', '3b79'].includes(atr)) {
  console.error('usage: node scripts/emulated-card.ts [--fixture somchai|malee] [--atr 3b67|3b68|3b79]');
  process.exit(2);
}
const pcsc = await startPcsc();
await pcsc.insert({ fixture, atr });
const card = fixtures[fixture];
console.log(`an emulated card of ${card.title_th}${card.given_name_th} ${card.family_name_th} (${card.pid}, born ${card.birthdate_be} BE) is in "${pcsc.readerName(0)}"`);
console.log(`start the agent with:  export PCSCLITE_CSOCK_NAME=${pcsc.env.PCSCLITE_CSOCK_NAME}`);
console.log('Ctrl-C removes the card and stops this pcscd');
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void pcsc.stop().then(() => process.exit(0)));
setInterval(() => {}, 1 << 30);
