from enum import Enum


class ExecRequestLanguageType1(str, Enum):
    BASH = "bash"
    JAVASCRIPT = "javascript"
    JS = "js"
    NODE = "node"
    NODEJS = "nodejs"
    PY = "py"
    PYTHON = "python"
    PYTHON3 = "python3"
    SH = "sh"

    def __str__(self) -> str:
        return str(self.value)
