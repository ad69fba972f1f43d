from enum import Enum


class OutputEncoding(str, Enum):
    BASE64 = "base64"
    TEXT = "text"

    def __str__(self) -> str:
        return str(self.value)
