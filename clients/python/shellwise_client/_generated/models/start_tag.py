from enum import Enum


class StartTag(str, Enum):
    START = "start"

    def __str__(self) -> str:
        return str(self.value)
