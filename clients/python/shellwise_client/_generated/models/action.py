from enum import Enum


class Action(str, Enum):
    ALLOW = "allow"
    CONFIRM = "confirm"
    DENY = "deny"

    def __str__(self) -> str:
        return str(self.value)
