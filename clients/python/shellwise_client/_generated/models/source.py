from enum import Enum


class Source(str, Enum):
    COMBINED = "combined"
    HEURISTIC = "heuristic"
    LLM = "llm"

    def __str__(self) -> str:
        return str(self.value)
