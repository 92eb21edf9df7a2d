#!/usr/bin/env node
// The segflow command line. `npm install` compiles the TypeScript to dist/ (the package's prepare script).
require('../dist/cli/main.js').main(process.argv.slice(2));
