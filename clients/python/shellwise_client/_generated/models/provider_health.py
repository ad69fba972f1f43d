from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.breaker_state import BreakerState
from ..models.provider_kind import ProviderKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="ProviderHealth")


@_attrs_define
class ProviderHealth:
    """Health of one provider, from its circuit breaker.

    Attributes:
        provider (str): Provider name.
        kind (ProviderKind): Which wire format a provider speaks.
        priority (int): Routing priority (higher first).
        state (BreakerState): Circuit breaker state.
        consecutive_failures (int): Failures since the last success.
        last_error (Union[None, Unset, str]): The last failure's kind (see [`super::LlmError::kind`]).
    """

    provider: str
    kind: ProviderKind
    priority: int
    state: BreakerState
    consecutive_failures: int
    last_error: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        kind = self.kind.value

        priority = self.priority

        state = self.state.value

        consecutive_failures = self.consecutive_failures

        last_error: Union[None, Unset, str]
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "kind": kind,
                "priority": priority,
                "state": state,
                "consecutiveFailures": consecutive_failures,
            }
        )
        if last_error is not UNSET:
            field_dict["lastError"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = d.pop("provider")

        kind = ProviderKind(d.pop("kind"))

        priority = d.pop("priority")

        state = BreakerState(d.pop("state"))

        consecutive_failures = d.pop("consecutiveFailures")

        def _parse_last_error(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))

        provider_health = cls(
            provider=provider,
            kind=kind,
            priority=priority,
            state=state,
            consecutive_failures=consecutive_failures,
            last_error=last_error,
        )

        provider_health.additional_properties = d
        return provider_health

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
