import os
from shellwise_client import ConfirmationRequired, Shellwise

with Shellwise(os.environ["SHELLWISE_URL"], token=os.environ["SHELLWISE_TOKEN"]) as sw:
    try:
        result = sw.run("$(date +echo) confirmed")
    except ConfirmationRequired as err:
        print(f"{err.rule_id}: {err.reason}")
        # Ask a person here. If they agree, send the same request once more with the token:
        result = err.resubmit()  # the same as sw.run(..., confirm_token=err.confirm_token)
    print(result.stdout, end="")
