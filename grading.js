// `require("nasbook/grading")`: a real file at the package root, because tslab and Node10 module
// resolution ignore package.json "exports". The code is src/entries/grading.ts, built to dist/.
module.exports = require('./dist/entries/grading.js');
