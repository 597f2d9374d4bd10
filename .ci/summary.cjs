// Prints vitest's JSON report as one plain line, `N passed, N failed, N skipped`, that any tool
// reading CI logs understands. Exits non-zero when the report is missing or counts no test.
const fs = require('node:fs');
const file = process.argv[2];
if (!fs.existsSync(file)) {
  console.log('0 passed, 1 failed');
  console.error(`no test report at ${file}`);
  process.exit(1);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(r.numTotalTests > 0 && r.numFailedTests === 0 && r.numFailedTestSuites === 0 ? 0 : 1);
