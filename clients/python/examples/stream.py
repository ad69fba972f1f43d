import os
from shellwise_client import ExitEvent, OutputEvent, Shellwise

with Shellwise(os.environ["SHELLWISE_URL"], token=os.environ["SHELLWISE_TOKEN"]) as sw:
    # Leaving the block (or breaking out of the loop inside it) hangs up: the command is killed.
    with sw.stream("for i in 1 2 3; do echo step $i; sleep 0.2; done") as events:
        for event in events:
            if isinstance(event, OutputEvent):
                print(event.stream, event.data, end="")
            elif isinstance(event, ExitEvent):
                print("exit", event.exit_code)
