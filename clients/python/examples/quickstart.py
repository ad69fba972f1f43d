import os
from shellwise_client import Shellwise

with Shellwise(os.environ["SHELLWISE_URL"], token=os.environ["SHELLWISE_TOKEN"]) as sw:
    result = sw.run("echo hello; ls /nonexistent")
    print(result.exit_code, result.stdout.strip(), result.ai_analysis.category if result.ai_analysis else None)
