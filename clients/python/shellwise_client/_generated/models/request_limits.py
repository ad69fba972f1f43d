from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RequestLimits")


@_attrs_define
class RequestLimits:
    """Limits a request asks for; every field optional. See `/readyz` for the server's defaults.

    Example:
        {'memoryBytes': 268435456, 'pids': 64, 'cpuMillis': 500}

    Attributes:
        memory_bytes (Union[None, Unset, int]): Memory for the whole process tree (cgroup), bytes; at least 1 MiB (below
            that a
            program cannot even be loaded).
        pids (Union[None, Unset, int]): Processes and threads in the tree (cgroup pids.max).
        cpu_millis (Union[None, Unset, int]): CPU bandwidth in milli-CPUs: 1000 = one core, 500 = half a core.
        cpu_time_secs (Union[None, Unset, int]): CPU seconds per process (RLIMIT_CPU).
        file_size_bytes (Union[None, Unset, int]): Largest file a process may write (RLIMIT_FSIZE), bytes.
        open_files (Union[None, Unset, int]): Open files per process (RLIMIT_NOFILE).
        address_space_bytes (Union[None, Unset, int]): Virtual memory per process (RLIMIT_AS), bytes.
        output_bytes (Union[None, Unset, int]): Total stdout + stderr bytes before the command is stopped (`limit:
            output`).
    """

    memory_bytes: Union[None, Unset, int] = UNSET
    pids: Union[None, Unset, int] = UNSET
    cpu_millis: Union[None, Unset, int] = UNSET
    cpu_time_secs: Union[None, Unset, int] = UNSET
    file_size_bytes: Union[None, Unset, int] = UNSET
    open_files: Union[None, Unset, int] = UNSET
    address_space_bytes: Union[None, Unset, int] = UNSET
    output_bytes: Union[None, Unset, int] = UNSET

    def to_dict(self) -> dict[str, Any]:
        memory_bytes: Union[None, Unset, int]
        if isinstance(self.memory_bytes, Unset):
            memory_bytes = UNSET
        else:
            memory_bytes = self.memory_bytes

        pids: Union[None, Unset, int]
        if isinstance(self.pids, Unset):
            pids = UNSET
        else:
            pids = self.pids

        cpu_millis: Union[None, Unset, int]
        if isinstance(self.cpu_millis, Unset):
            cpu_millis = UNSET
        else:
            cpu_millis = self.cpu_millis

        cpu_time_secs: Union[None, Unset, int]
        if isinstance(self.cpu_time_secs, Unset):
            cpu_time_secs = UNSET
        else:
            cpu_time_secs = self.cpu_time_secs

        file_size_bytes: Union[None, Unset, int]
        if isinstance(self.file_size_bytes, Unset):
            file_size_bytes = UNSET
        else:
            file_size_bytes = self.file_size_bytes

        open_files: Union[None, Unset, int]
        if isinstance(self.open_files, Unset):
            open_files = UNSET
        else:
            open_files = self.open_files

        address_space_bytes: Union[None, Unset, int]
        if isinstance(self.address_space_bytes, Unset):
            address_space_bytes = UNSET
        else:
            address_space_bytes = self.address_space_bytes

        output_bytes: Union[None, Unset, int]
        if isinstance(self.output_bytes, Unset):
            output_bytes = UNSET
        else:
            output_bytes = self.output_bytes

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if memory_bytes is not UNSET:
            field_dict["memoryBytes"] = memory_bytes
        if pids is not UNSET:
            field_dict["pids"] = pids
        if cpu_millis is not UNSET:
            field_dict["cpuMillis"] = cpu_millis
        if cpu_time_secs is not UNSET:
            field_dict["cpuTimeSecs"] = cpu_time_secs
        if file_size_bytes is not UNSET:
            field_dict["fileSizeBytes"] = file_size_bytes
        if open_files is not UNSET:
            field_dict["openFiles"] = open_files
        if address_space_bytes is not UNSET:
            field_dict["addressSpaceBytes"] = address_space_bytes
        if output_bytes is not UNSET:
            field_dict["outputBytes"] = output_bytes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_memory_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        memory_bytes = _parse_memory_bytes(d.pop("memoryBytes", UNSET))

        def _parse_pids(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        pids = _parse_pids(d.pop("pids", UNSET))

        def _parse_cpu_millis(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        cpu_millis = _parse_cpu_millis(d.pop("cpuMillis", UNSET))

        def _parse_cpu_time_secs(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        cpu_time_secs = _parse_cpu_time_secs(d.pop("cpuTimeSecs", UNSET))

        def _parse_file_size_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        file_size_bytes = _parse_file_size_bytes(d.pop("fileSizeBytes", UNSET))

        def _parse_open_files(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        open_files = _parse_open_files(d.pop("openFiles", UNSET))

        def _parse_address_space_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        address_space_bytes = _parse_address_space_bytes(
            d.pop("addressSpaceBytes", UNSET)
        )

        def _parse_output_bytes(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        output_bytes = _parse_output_bytes(d.pop("outputBytes", UNSET))

        request_limits = cls(
            memory_bytes=memory_bytes,
            pids=pids,
            cpu_millis=cpu_millis,
            cpu_time_secs=cpu_time_secs,
            file_size_bytes=file_size_bytes,
            open_files=open_files,
            address_space_bytes=address_space_bytes,
            output_bytes=output_bytes,
        )

        return request_limits
