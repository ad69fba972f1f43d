# The kill-everyone attack: a forked child (not pid 1 of the namespace) signals every process it may.
import os
import signal

# The pid comes from a variable: the policy denies a literal minus-one kill call before it
# reaches the box, and this test is about the box holding when a caller gets past the policy.
EVERYONE = -1
pid = os.fork()
if pid == 0:
    sent = 0
    for s in (signal.SIGKILL, signal.SIGTERM, signal.SIGHUP):
        try:
            os.kill(EVERYONE, s)
            sent += 1
        except ProcessLookupError:
            pass
    print("kill(-1) succeeded", sent, "times", flush=True)
    os._exit(0)
os.waitpid(pid, 0)
print("sent")
