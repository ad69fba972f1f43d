import os
from shellwise_client import ProblemError, Shellwise

FIX = "--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+    return 200\n"

with Shellwise(os.environ["SHELLWISE_URL"], token=os.environ["SHELLWISE_TOKEN"]) as sw:
    ws = sw.workspaces.create("fix-handler", files={"app.py": "def handler():\n    return 500\n"}).id
    try:
        page = sw.files.read(ws, "app.py", start_line=2, end_line=2)
        print(page.content, end="")
        sw.files.patch(ws, FIX)  # all hunks apply, or nothing changes (409 patch_conflict)
        print(sw.run("python3 -B -c 'import app; print(app.handler())'", workspace=ws).stdout, end="")
        try:
            sw.files.write(ws, "app.py", "lost update\n", if_match=page.etag)  # the version read
        except ProblemError as err:
            print(err.status, err.code)
    finally:
        sw.workspaces.delete(ws)
