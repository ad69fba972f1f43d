from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Capabilities")


@_attrs_define
class Capabilities:
    """What a model can do, as far as the provider tells us.

    Attributes:
        chat (bool): Answers chat requests.
        streaming (bool): Can stream its answer.
        tools (bool): Supports tool calling.
        json_schema (bool): Supports JSON Schema constrained output.
        vision (bool): Accepts images.
        context_length (Union[None, Unset, int]): Context window in tokens, when known.
    """

    chat: bool
    streaming: bool
    tools: bool
    json_schema: bool
    vision: bool
    context_length: Union[None, Unset, int] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        chat = self.chat

        streaming = self.streaming

        tools = self.tools

        json_schema = self.json_schema

        vision = self.vision

        context_length: Union[None, Unset, int]
        if isinstance(self.context_length, Unset):
            context_length = UNSET
        else:
            context_length = self.context_length

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "chat": chat,
                "streaming": streaming,
                "tools": tools,
                "jsonSchema": json_schema,
                "vision": vision,
            }
        )
        if context_length is not UNSET:
            field_dict["contextLength"] = context_length

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        chat = d.pop("chat")

        streaming = d.pop("streaming")

        tools = d.pop("tools")

        json_schema = d.pop("jsonSchema")

        vision = d.pop("vision")

        def _parse_context_length(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        context_length = _parse_context_length(d.pop("contextLength", UNSET))

        capabilities = cls(
            chat=chat,
            streaming=streaming,
            tools=tools,
            json_schema=json_schema,
            vision=vision,
            context_length=context_length,
        )

        capabilities.additional_properties = d
        return capabilities

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
