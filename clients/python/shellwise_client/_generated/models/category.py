from enum import Enum


class Category(str, Enum):
    AUTH_FAILURE = "auth_failure"
    COMMAND_NOT_FOUND = "command_not_found"
    COMPILE_ERROR = "compile_error"
    DISK_FULL = "disk_full"
    FILE_NOT_FOUND = "file_not_found"
    KILLED = "killed"
    MISSING_DEPENDENCY = "missing_dependency"
    NETWORK = "network"
    OUT_OF_MEMORY = "out_of_memory"
    PERMISSION_DENIED = "permission_denied"
    PORT_IN_USE = "port_in_use"
    RESOURCE_LIMIT = "resource_limit"
    RUNTIME_ERROR = "runtime_error"
    SYNTAX_ERROR = "syntax_error"
    TEST_FAILURE = "test_failure"
    TIMEOUT = "timeout"
    UNKNOWN = "unknown"
    USAGE_ERROR = "usage_error"

    def __str__(self) -> str:
        return str(self.value)
