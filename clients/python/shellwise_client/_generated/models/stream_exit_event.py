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

from ..models.exit_tag import ExitTag
from ..models.limit_hit import LimitHit
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.enforced import Enforced
    from ..models.exit_summary_redactions import ExitSummaryRedactions
    from ..models.resources import Resources


T = TypeVar("T", bound="StreamExitEvent")


@_attrs_define
class StreamExitEvent:
    """`exit`: how the command ended (the result without its output).

    Attributes:
        id (str):
        exit_code (int):
        timed_out (bool):
        duration_ms (int):
        stdout_bytes (int):
        stderr_bytes (int):
        limits_enforced (list['Enforced']):
        redactions (ExitSummaryRedactions): Secrets redacted from the output, by rule id.
        event (ExitTag):
        signal (Union[None, Unset, str]):
        limit (Union[LimitHit, None, Unset]):
        resources (Union['Resources', None, Unset]):
    """

    id: str
    exit_code: int
    timed_out: bool
    duration_ms: int
    stdout_bytes: int
    stderr_bytes: int
    limits_enforced: list["Enforced"]
    redactions: "ExitSummaryRedactions"
    event: ExitTag
    signal: Union[None, Unset, str] = UNSET
    limit: Union[LimitHit, None, Unset] = UNSET
    resources: Union["Resources", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.resources import Resources

        id = self.id

        exit_code = self.exit_code

        timed_out = self.timed_out

        duration_ms = self.duration_ms

        stdout_bytes = self.stdout_bytes

        stderr_bytes = self.stderr_bytes

        limits_enforced = []
        for limits_enforced_item_data in self.limits_enforced:
            limits_enforced_item = limits_enforced_item_data.to_dict()
            limits_enforced.append(limits_enforced_item)

        redactions = self.redactions.to_dict()

        event = self.event.value

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

        resources: Union[None, Unset, dict[str, Any]]
        if isinstance(self.resources, Unset):
            resources = UNSET
        elif isinstance(self.resources, Resources):
            resources = self.resources.to_dict()
        else:
            resources = self.resources

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "exitCode": exit_code,
                "timedOut": timed_out,
                "durationMs": duration_ms,
                "stdoutBytes": stdout_bytes,
                "stderrBytes": stderr_bytes,
                "limitsEnforced": limits_enforced,
                "redactions": redactions,
                "event": event,
            }
        )
        if signal is not UNSET:
            field_dict["signal"] = signal
        if limit is not UNSET:
            field_dict["limit"] = limit
        if resources is not UNSET:
            field_dict["resources"] = resources

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.enforced import Enforced
        from ..models.exit_summary_redactions import ExitSummaryRedactions
        from ..models.resources import Resources

        d = dict(src_dict)
        id = d.pop("id")

        exit_code = d.pop("exitCode")

        timed_out = d.pop("timedOut")

        duration_ms = d.pop("durationMs")

        stdout_bytes = d.pop("stdoutBytes")

        stderr_bytes = d.pop("stderrBytes")

        limits_enforced = []
        _limits_enforced = d.pop("limitsEnforced")
        for limits_enforced_item_data in _limits_enforced:
            limits_enforced_item = Enforced.from_dict(limits_enforced_item_data)

            limits_enforced.append(limits_enforced_item)

        redactions = ExitSummaryRedactions.from_dict(d.pop("redactions"))

        event = ExitTag(d.pop("event"))

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

        stream_exit_event = cls(
            id=id,
            exit_code=exit_code,
            timed_out=timed_out,
            duration_ms=duration_ms,
            stdout_bytes=stdout_bytes,
            stderr_bytes=stderr_bytes,
            limits_enforced=limits_enforced,
            redactions=redactions,
            event=event,
            signal=signal,
            limit=limit,
            resources=resources,
        )

        stream_exit_event.additional_properties = d
        return stream_exit_event

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
