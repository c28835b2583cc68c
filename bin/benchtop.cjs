#!/usr/bin/env node
// Runs in: Node. The `benchtop` command: loads the bundled CLI that `npm run build` makes.
const path = require('node:path');
const fs = require('node:fs');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
if (!fs.existsSync(bundle)) {
  process.stderr.write('benchtop: the CLI is not built yet; run `npm run build` in ' + path.dirname(__dirname) + '.\n');
  process.exit(1);
}
require('./code-cache.cjs').loadWithCodeCache(bundle);
