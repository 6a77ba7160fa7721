#!/usr/bin/env node
// The installed `grokscope` command. Checked in (not built) so npm can link it at install
// time, before `npm run build` has produced dist/.
'use strict';
let cli;
try {
  cli = require('../dist/bin.js');
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]bin\.js/.test(String(err.message))) {
    process.stderr.write('grokscope is not built yet: run `npm run build` at the repository root first.\n');
    process.exit(1);
  }
  throw err;
}
cli.main(process.argv);
