from enum import Enum


class WriteModeWire(str, Enum):
    APPEND = "append"
    CREATE = "create"
    OVERWRITE = "overwrite"

    def __str__(self) -> str:
        return str(self.value)
