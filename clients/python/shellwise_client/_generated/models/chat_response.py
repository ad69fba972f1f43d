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

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.usage import Usage


T = TypeVar("T", bound="ChatResponse")


@_attrs_define
class ChatResponse:
    """A complete (non-streamed) chat answer.

    Attributes:
        provider (str): Provider that answered.
        model (str): Model that answered.
        content (str): The generated text.
        usage (Usage): Token counts as reported by the provider (absent when it does not say).
        latency_ms (int): Wall time of the successful attempt, in milliseconds.
        finish_reason (Union[None, Unset, str]): Why generation stopped, in the provider's words (`stop`, `length`,
            `end_turn`, ...).
    """

    provider: str
    model: str
    content: str
    usage: "Usage"
    latency_ms: int
    finish_reason: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        model = self.model

        content = self.content

        usage = self.usage.to_dict()

        latency_ms = self.latency_ms

        finish_reason: Union[None, Unset, str]
        if isinstance(self.finish_reason, Unset):
            finish_reason = UNSET
        else:
            finish_reason = self.finish_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "model": model,
                "content": content,
                "usage": usage,
                "latencyMs": latency_ms,
            }
        )
        if finish_reason is not UNSET:
            field_dict["finishReason"] = finish_reason

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage import Usage

        d = dict(src_dict)
        provider = d.pop("provider")

        model = d.pop("model")

        content = d.pop("content")

        usage = Usage.from_dict(d.pop("usage"))

        latency_ms = d.pop("latencyMs")

        def _parse_finish_reason(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        finish_reason = _parse_finish_reason(d.pop("finishReason", UNSET))

        chat_response = cls(
            provider=provider,
            model=model,
            content=content,
            usage=usage,
            latency_ms=latency_ms,
            finish_reason=finish_reason,
        )

        chat_response.additional_properties = d
        return chat_response

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
