// `require("nasbook/nasbench")`: a real file at the package root, because tslab and Node10 module
// resolution ignore package.json "exports". The code is src/entries/nasbench.ts, built to dist/.
module.exports = require('./dist/entries/nasbench.js');
