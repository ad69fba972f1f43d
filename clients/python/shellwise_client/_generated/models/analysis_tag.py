from enum import Enum


class AnalysisTag(str, Enum):
    ANALYSIS = "analysis"

    def __str__(self) -> str:
        return str(self.value)
