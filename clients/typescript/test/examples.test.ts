// The README's examples are the files in examples/: each must appear in README.md verbatim,
// and each must run against the live server and print what the README says it does.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');

const expected: Record<string, RegExp> = {
  quickstart: /^0 hello from \S+\n$/,
  stream:
    /^job (ex_\w+) started\n\[stdout\] step 1\n\[stdout\] step 2\n\[stdout\] step 3\nexit code 3\nwhy: .+\njob \1 failed\n$/,
  jobs: /^(ex_\w+) (queued|running)\nline 1\nline 2\nline 3\nsucceeded 0\n"line 2\\n"\n$/,
  confirm: /^rule [\w-]+: .+ \(token valid \d+ s\)\nran once after confirmation: exit code \d+\n$/,
  errors: /^403 policy_denied [\w-]+ true\ngave up after 200 ms\n$/,
  files: /^"    return 500\\n"\n200\n412 precondition_failed\n$/,
};

for (const [name, output] of Object.entries(expected)) {
  test(`README example ${name}.ts is in the README verbatim and runs as it says`, async () => {
    const source = readFileSync(`${root}examples/${name}.ts`, 'utf8');
    assert.ok(readme.includes('```ts\n' + source + '```\n'), `README.md must include examples/${name}.ts verbatim`);
    const { stdout } = await promisify(execFile)(process.execPath, [`${root}build/examples/${name}.js`], {
      env: process.env,
      timeout: 30_000,
    });
    assert.match(stdout, output);
  });
}
