from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.analyze_request_signal_type_1 import AnalyzeRequestSignalType1
from ..models.limit_hit import LimitHit
from ..types import UNSET, Unset

T = TypeVar("T", bound="AnalyzeRequest")


@_attrs_define
class AnalyzeRequest:
    """
    Attributes:
        command (str): The command that failed, as it was run.
        exit_code (Union[None, Unset, int]): Its exit code (a shell reports 128+n for a child killed by signal n).
            `null` or left
            out when a signal killed it and there is no exit code: then give `signal`.
        signal (Union[AnalyzeRequestSignalType1, None, Unset, int]): The signal that killed it: a name as runCommand
            reports it (`SIGKILL`) or its number
            (9). When given, the analysis goes by the signal rather than `exitCode`.
        stdout (Union[Unset, str]):
        stderr (Union[Unset, str]):
        cwd (Union[None, Unset, str]): Where it ran.
        timed_out (Union[Unset, bool]): Whether a wall-clock timeout stopped it.
        limit (Union[LimitHit, None, Unset]):
    """

    command: str
    exit_code: Union[None, Unset, int] = UNSET
    signal: Union[AnalyzeRequestSignalType1, None, Unset, int] = UNSET
    stdout: Union[Unset, str] = UNSET
    stderr: Union[Unset, str] = UNSET
    cwd: Union[None, Unset, str] = UNSET
    timed_out: Union[Unset, bool] = UNSET
    limit: Union[LimitHit, None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        command = self.command

        exit_code: Union[None, Unset, int]
        if isinstance(self.exit_code, Unset):
            exit_code = UNSET
        else:
            exit_code = self.exit_code

        signal: Union[None, Unset, int, str]
        if isinstance(self.signal, Unset):
            signal = UNSET
        elif isinstance(self.signal, AnalyzeRequestSignalType1):
            signal = self.signal.value
        else:
            signal = self.signal

        stdout = self.stdout

        stderr = self.stderr

        cwd: Union[None, Unset, str]
        if isinstance(self.cwd, Unset):
            cwd = UNSET
        else:
            cwd = self.cwd

        timed_out = self.timed_out

        limit: Union[None, Unset, str]
        if isinstance(self.limit, Unset):
            limit = UNSET
        elif isinstance(self.limit, LimitHit):
            limit = self.limit.value
        else:
            limit = self.limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "command": command,
            }
        )
        if exit_code is not UNSET:
            field_dict["exitCode"] = exit_code
        if signal is not UNSET:
            field_dict["signal"] = signal
        if stdout is not UNSET:
            field_dict["stdout"] = stdout
        if stderr is not UNSET:
            field_dict["stderr"] = stderr
        if cwd is not UNSET:
            field_dict["cwd"] = cwd
        if timed_out is not UNSET:
            field_dict["timedOut"] = timed_out
        if limit is not UNSET:
            field_dict["limit"] = limit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        command = d.pop("command")

        def _parse_exit_code(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        exit_code = _parse_exit_code(d.pop("exitCode", UNSET))

        def _parse_signal(
            data: object,
        ) -> Union[AnalyzeRequestSignalType1, None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                signal_type_1 = AnalyzeRequestSignalType1(data)

                return signal_type_1
            except:  # noqa: E722
                pass
            return cast(Union[AnalyzeRequestSignalType1, None, Unset, int], data)

        signal = _parse_signal(d.pop("signal", UNSET))

        stdout = d.pop("stdout", UNSET)

        stderr = d.pop("stderr", UNSET)

        def _parse_cwd(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        cwd = _parse_cwd(d.pop("cwd", UNSET))

        timed_out = d.pop("timedOut", UNSET)

        def _parse_limit(data: object) -> Union[LimitHit, None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                limit_type_1 = LimitHit(data)

                return limit_type_1
            except:  # noqa: E722
                pass
            return cast(Union[LimitHit, None, Unset], data)

        limit = _parse_limit(d.pop("limit", UNSET))

        analyze_request = cls(
            command=command,
            exit_code=exit_code,
            signal=signal,
            stdout=stdout,
            stderr=stderr,
            cwd=cwd,
            timed_out=timed_out,
            limit=limit,
        )

        analyze_request.additional_properties = d
        return analyze_request

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
