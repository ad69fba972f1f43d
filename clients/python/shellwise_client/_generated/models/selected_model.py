from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SelectedModel")


@_attrs_define
class SelectedModel:
    """The default model requests use when they name none.

    Example:
        {'provider': 'local', 'model': 'llama3.2'}

    Attributes:
        provider (str): Provider name (as configured).
        model (str): Model id as the provider spells it.
    """

    provider: str
    model: str

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        model = self.model

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "model": model,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        provider = d.pop("provider")

        model = d.pop("model")

        selected_model = cls(
            provider=provider,
            model=model,
        )

        return selected_model
