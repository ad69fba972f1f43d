from enum import Enum


class LimitHit(str, Enum):
    CPU_TIME = "cpu_time"
    FILE_SIZE = "file_size"
    MEMORY = "memory"
    OUTPUT = "output"
    PIDS = "pids"
    WALL_TIME = "wall_time"

    def __str__(self) -> str:
        return str(self.value)
