import { ProblemError, Shellwise } from '@shellwise/client';

const sw = new Shellwise({ baseUrl: process.env.SHELLWISE_URL!, token: process.env.SHELLWISE_TOKEN });
const fix = '--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+    return 200\n';

const { id: ws } = await sw.workspaces.create({
  name: 'fix-handler',
  files: [{ path: 'app.py', content: 'def handler():\n    return 500\n' }],
});
try {
  const page = await sw.files.read(ws, 'app.py', { startLine: 2, endLine: 2 });
  console.log(JSON.stringify(page.content));
  await sw.files.patch(ws, fix); // all hunks apply, or nothing changes (409 patch_conflict)
  const result = await sw.run({ command: "python3 -B -c 'import app; print(app.handler())'", workspace: ws });
  console.log(result.stdout.trim());
  try {
    await sw.files.write(ws, 'app.py', 'lost update\n', { ifMatch: page.etag }); // the version read
  } catch (err) {
    if (!(err instanceof ProblemError)) throw err;
    console.log(err.status, err.code);
  }
} finally {
  await sw.workspaces.delete(ws);
}
