from enum import Enum


class ModeSource(str, Enum):
    DEFAULT = "default"
    ROLE = "role"
    TOKEN = "token"

    def __str__(self) -> str:
        return str(self.value)
