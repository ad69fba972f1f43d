from enum import Enum


class JobStatus(str, Enum):
    CANCELLED = "cancelled"
    FAILED = "failed"
    LOST = "lost"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"

    def __str__(self) -> str:
        return str(self.value)
