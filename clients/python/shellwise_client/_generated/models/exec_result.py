from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.limit_hit import LimitHit
from ..models.output_encoding import OutputEncoding
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.analysis import Analysis
    from ..models.enforced import Enforced
    from ..models.exec_result_redactions import ExecResultRedactions
    from ..models.omitted_range import OmittedRange
    from ..models.resources import Resources


T = TypeVar("T", bound="ExecResult")


@_attrs_define
class ExecResult:
    r"""The outcome of a command. A non-zero exit is a normal result, not an error.

    Example:
        {'id': 'ex_4f1c9a0b2d3e5f60', 'exitCode': 2, 'signal': None, 'timedOut': False, 'limit': None, 'durationMs': 3,
            'stdout': 'hello\n', 'stderr': "ls: cannot access '/nonexistent': No such file or directory\n",
            'outputEncoding': 'text', 'stdoutTruncated': False, 'stderrTruncated': False, 'stdoutBytes': 6, 'stderrBytes':
            61, 'stdoutOmitted': None, 'stderrOmitted': None, 'limitsEnforced': [{'limit': 'process_group', 'value': None,
            'by': 'supervisor'}, {'limit': 'wall_time', 'value': 30000, 'by': 'supervisor'}, {'limit': 'output', 'value':
            8388608, 'by': 'supervisor'}, {'limit': 'memory', 'value': 536870912, 'by': 'cgroup_v2'}, {'limit': 'pids',
            'value': 256, 'by': 'cgroup_v2'}, {'limit': 'cpu', 'value': 1000, 'by': 'cgroup_v2'}, {'limit': 'user', 'value':
            998, 'by': 'setuid'}], 'resources': {'userMs': 1, 'systemMs': 2, 'peakMemoryBytes': 1540096}, 'redactions': {}}

    Attributes:
        id (str): Identifier of this execution (also in logs).
        exit_code (int): Shell convention: the exit status; 128+n if killed by signal n; 124 on timeout; 127 if
            the program was not found, 126 if it could not be executed.
        timed_out (bool): The wall-clock limit was hit.
        duration_ms (int):
        stdout (str): Standard output (head and tail kept when over the inline cap, with a marker between).
        stderr (str):
        output_encoding (OutputEncoding): How output bytes are carried in JSON strings.
        stdout_truncated (bool):
        stderr_truncated (bool):
        stdout_bytes (int): Bytes the command wrote to stdout, including omitted ones.
        stderr_bytes (int):
        stdout_redacted_bytes (int): Length of stdout after redaction: the stream `stdoutOmitted` indexes. It differs
            from
            `stdoutBytes` by what redaction markers replaced, and counts output withheld because
            its redaction ran out of CPU budget as it was written.
        stderr_redacted_bytes (int):
        limits_enforced (list['Enforced']): What actually confined this command, and by what mechanism.
        redactions (ExecResultRedactions): Secrets redacted from the output, by rule id (`[REDACTED:<rule-id>]` marks
            each).
        signal (Union[None, Unset, str]): Name of the signal that ended the command (e.g. `SIGKILL`), if any.
        limit (Union[LimitHit, None, Unset]):
        stdout_omitted (Union['OmittedRange', None, Unset]):
        stderr_omitted (Union['OmittedRange', None, Unset]):
        resources (Union['Resources', None, Unset]):
        ai_analysis (Union['Analysis', None, Unset]):
    """

    id: str
    exit_code: int
    timed_out: bool
    duration_ms: int
    stdout: str
    stderr: str
    output_encoding: OutputEncoding
    stdout_truncated: bool
    stderr_truncated: bool
    stdout_bytes: int
    stderr_bytes: int
    stdout_redacted_bytes: int
    stderr_redacted_bytes: int
    limits_enforced: list["Enforced"]
    redactions: "ExecResultRedactions"
    signal: Union[None, Unset, str] = UNSET
    limit: Union[LimitHit, None, Unset] = UNSET
    stdout_omitted: Union["OmittedRange", None, Unset] = UNSET
    stderr_omitted: Union["OmittedRange", None, Unset] = UNSET
    resources: Union["Resources", None, Unset] = UNSET
    ai_analysis: Union["Analysis", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.analysis import Analysis
        from ..models.omitted_range import OmittedRange
        from ..models.resources import Resources

        id = self.id

        exit_code = self.exit_code

        timed_out = self.timed_out

        duration_ms = self.duration_ms

        stdout = self.stdout

        stderr = self.stderr

        output_encoding = self.output_encoding.value

        stdout_truncated = self.stdout_truncated

        stderr_truncated = self.stderr_truncated

        stdout_bytes = self.stdout_bytes

        stderr_bytes = self.stderr_bytes

        stdout_redacted_bytes = self.stdout_redacted_bytes

        stderr_redacted_bytes = self.stderr_redacted_bytes

        limits_enforced = []
        for limits_enforced_item_data in self.limits_enforced:
            limits_enforced_item = limits_enforced_item_data.to_dict()
            limits_enforced.append(limits_enforced_item)

        redactions = self.redactions.to_dict()

        signal: Union[None, Unset, str]
        if isinstance(self.signal, Unset):
            signal = UNSET
        else:
            signal = self.signal

        limit: Union[None, Unset, str]
        if isinstance(self.limit, Unset):
            limit = UNSET
        elif isinstance(self.limit, LimitHit):
            limit = self.limit.value
        else:
            limit = self.limit

        stdout_omitted: Union[None, Unset, dict[str, Any]]
        if isinstance(self.stdout_omitted, Unset):
            stdout_omitted = UNSET
        elif isinstance(self.stdout_omitted, OmittedRange):
            stdout_omitted = self.stdout_omitted.to_dict()
        else:
            stdout_omitted = self.stdout_omitted

        stderr_omitted: Union[None, Unset, dict[str, Any]]
        if isinstance(self.stderr_omitted, Unset):
            stderr_omitted = UNSET
        elif isinstance(self.stderr_omitted, OmittedRange):
            stderr_omitted = self.stderr_omitted.to_dict()
        else:
            stderr_omitted = self.stderr_omitted

        resources: Union[None, Unset, dict[str, Any]]
        if isinstance(self.resources, Unset):
            resources = UNSET
        elif isinstance(self.resources, Resources):
            resources = self.resources.to_dict()
        else:
            resources = self.resources

        ai_analysis: Union[None, Unset, dict[str, Any]]
        if isinstance(self.ai_analysis, Unset):
            ai_analysis = UNSET
        elif isinstance(self.ai_analysis, Analysis):
            ai_analysis = self.ai_analysis.to_dict()
        else:
            ai_analysis = self.ai_analysis

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "exitCode": exit_code,
                "timedOut": timed_out,
                "durationMs": duration_ms,
                "stdout": stdout,
                "stderr": stderr,
                "outputEncoding": output_encoding,
                "stdoutTruncated": stdout_truncated,
                "stderrTruncated": stderr_truncated,
                "stdoutBytes": stdout_bytes,
                "stderrBytes": stderr_bytes,
                "stdoutRedactedBytes": stdout_redacted_bytes,
                "stderrRedactedBytes": stderr_redacted_bytes,
                "limitsEnforced": limits_enforced,
                "redactions": redactions,
            }
        )
        if signal is not UNSET:
            field_dict["signal"] = signal
        if limit is not UNSET:
            field_dict["limit"] = limit
        if stdout_omitted is not UNSET:
            field_dict["stdoutOmitted"] = stdout_omitted
        if stderr_omitted is not UNSET:
            field_dict["stderrOmitted"] = stderr_omitted
        if resources is not UNSET:
            field_dict["resources"] = resources
        if ai_analysis is not UNSET:
            field_dict["aiAnalysis"] = ai_analysis

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.analysis import Analysis
        from ..models.enforced import Enforced
        from ..models.exec_result_redactions import ExecResultRedactions
        from ..models.omitted_range import OmittedRange
        from ..models.resources import Resources

        d = dict(src_dict)
        id = d.pop("id")

        exit_code = d.pop("exitCode")

        timed_out = d.pop("timedOut")

        duration_ms = d.pop("durationMs")

        stdout = d.pop("stdout")

        stderr = d.pop("stderr")

        output_encoding = OutputEncoding(d.pop("outputEncoding"))

        stdout_truncated = d.pop("stdoutTruncated")

        stderr_truncated = d.pop("stderrTruncated")

        stdout_bytes = d.pop("stdoutBytes")

        stderr_bytes = d.pop("stderrBytes")

        stdout_redacted_bytes = d.pop("stdoutRedactedBytes")

        stderr_redacted_bytes = d.pop("stderrRedactedBytes")

        limits_enforced = []
        _limits_enforced = d.pop("limitsEnforced")
        for limits_enforced_item_data in _limits_enforced:
            limits_enforced_item = Enforced.from_dict(limits_enforced_item_data)

            limits_enforced.append(limits_enforced_item)

        redactions = ExecResultRedactions.from_dict(d.pop("redactions"))

        def _parse_signal(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        signal = _parse_signal(d.pop("signal", UNSET))

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

        def _parse_stdout_omitted(data: object) -> Union["OmittedRange", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                stdout_omitted_type_1 = OmittedRange.from_dict(data)

                return stdout_omitted_type_1
            except:  # noqa: E722
                pass
            return cast(Union["OmittedRange", None, Unset], data)

        stdout_omitted = _parse_stdout_omitted(d.pop("stdoutOmitted", UNSET))

        def _parse_stderr_omitted(data: object) -> Union["OmittedRange", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                stderr_omitted_type_1 = OmittedRange.from_dict(data)

                return stderr_omitted_type_1
            except:  # noqa: E722
                pass
            return cast(Union["OmittedRange", None, Unset], data)

        stderr_omitted = _parse_stderr_omitted(d.pop("stderrOmitted", UNSET))

        def _parse_resources(data: object) -> Union["Resources", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                resources_type_1 = Resources.from_dict(data)

                return resources_type_1
            except:  # noqa: E722
                pass
            return cast(Union["Resources", None, Unset], data)

        resources = _parse_resources(d.pop("resources", UNSET))

        def _parse_ai_analysis(data: object) -> Union["Analysis", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ai_analysis_type_1 = Analysis.from_dict(data)

                return ai_analysis_type_1
            except:  # noqa: E722
                pass
            return cast(Union["Analysis", None, Unset], data)

        ai_analysis = _parse_ai_analysis(d.pop("aiAnalysis", UNSET))

        exec_result = cls(
            id=id,
            exit_code=exit_code,
            timed_out=timed_out,
            duration_ms=duration_ms,
            stdout=stdout,
            stderr=stderr,
            output_encoding=output_encoding,
            stdout_truncated=stdout_truncated,
            stderr_truncated=stderr_truncated,
            stdout_bytes=stdout_bytes,
            stderr_bytes=stderr_bytes,
            stdout_redacted_bytes=stdout_redacted_bytes,
            stderr_redacted_bytes=stderr_redacted_bytes,
            limits_enforced=limits_enforced,
            redactions=redactions,
            signal=signal,
            limit=limit,
            stdout_omitted=stdout_omitted,
            stderr_omitted=stderr_omitted,
            resources=resources,
            ai_analysis=ai_analysis,
        )

        exec_result.additional_properties = d
        return exec_result

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
