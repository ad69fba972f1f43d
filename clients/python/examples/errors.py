import os
from shellwise_client import ProblemError, Shellwise
from shellwise_client.models import Code

with Shellwise(os.environ["SHELLWISE_URL"], token=os.environ["SHELLWISE_TOKEN"]) as sw:
    for command in ["sudo rm -rf /", "echo fine"]:
        try:
            print(sw.run(command).stdout, end="")
        except ProblemError as err:
            if err.code != Code.POLICY_DENIED:
                raise
            print(f"{err.status} {err.code} by rule {err.rule_id}; request id {err.request_id}")
