// mpid, the operator's command line (bin/mpid): a composition root like src/main.ts, the one place
// that puts the IdP's commands and the Authen Code service's ("mpid authencode …") together.
import { runProgram } from './kernel/cli.ts';
import { idpProgram } from './idp/cli/index.ts';
import { authencodeSection } from './authencode/cli.ts';

await runProgram({ ...idpProgram, sections: [...idpProgram.sections, authencodeSection] }, process.argv.slice(2));
