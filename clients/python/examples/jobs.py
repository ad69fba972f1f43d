import os
from shellwise_client import OutputEvent, Shellwise

with Shellwise(os.environ["SHELLWISE_URL"], token=os.environ["SHELLWISE_TOKEN"]) as sw:
    job = sw.jobs.start("for i in 1 2 3; do echo step $i; sleep 0.5; done", wait_ms=200)
    print(job.status)  # running: it outlives wait_ms
    # Follow it live; a dropped connection resumes by Last-Event-ID and never runs it again.
    with sw.jobs.events(job.id) as events:
        for event in events:
            if isinstance(event, OutputEvent):
                print(event.data, end="")
    done = sw.jobs.wait(job.id, timeout=60)
    print(done.status, sw.jobs.output(done.id, offset=7, length=7).data, end="")
