from enum import Enum


class PatchFormatWire(str, Enum):
    AUTO = "auto"
    ENVELOPE = "envelope"
    UNIFIED = "unified"

    def __str__(self) -> str:
        return str(self.value)
