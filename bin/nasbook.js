#!/usr/bin/env node
// The `nasbook` command; the code lives in src/cli.ts (built to dist/cli.js by `npm run build`).
require('../dist/cli.js').main(process.argv);
