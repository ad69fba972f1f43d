from enum import Enum


class StreamEventFrameEvent(str, Enum):
    ANALYSIS = "analysis"
    END = "end"
    ERROR = "error"
    EXIT = "exit"
    START = "start"
    STDERR = "stderr"
    STDOUT = "stdout"

    def __str__(self) -> str:
        return str(self.value)
