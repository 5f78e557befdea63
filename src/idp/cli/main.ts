// mpid with the IdP's commands only (tests and benchmarks spawn this file); bin/mpid runs src/cli.ts,
// which adds the Authen Code service's commands.
import { runProgram } from '../../kernel/cli.ts';
import { idpProgram } from './index.ts';

await runProgram(idpProgram, process.argv.slice(2));
