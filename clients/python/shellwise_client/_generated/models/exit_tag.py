from enum import Enum


class ExitTag(str, Enum):
    EXIT = "exit"

    def __str__(self) -> str:
        return str(self.value)
