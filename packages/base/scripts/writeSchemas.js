#!/usr/bin/env node
// Writes the run files' JSON Schemas (generated from the zod schemas in src/) to schemas/.
// Run after a build: `npm run schemas -w @grokscope/base`. test/runJsonSchemas.test.ts fails
// when the files here are not what the code generates.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runJsonSchemas } = require('../dist');

const dir = path.join(__dirname, '..', 'schemas');
fs.mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(runJsonSchemas())) {
  fs.writeFileSync(path.join(dir, file), JSON.stringify(schema, null, 2) + '\n');
  console.log(`wrote ${path.relative(process.cwd(), path.join(dir, file))}`);
}
