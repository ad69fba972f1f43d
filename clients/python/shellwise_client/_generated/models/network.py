from enum import Enum


class Network(str, Enum):
    HOST = "host"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
