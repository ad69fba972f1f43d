from enum import Enum


class ApprovalMode(str, Enum):
    NEVER = "never"
    ON_REQUEST = "on-request"
    UNTRUSTED = "untrusted"

    def __str__(self) -> str:
        return str(self.value)
