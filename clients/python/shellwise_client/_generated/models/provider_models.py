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

from ..models.breaker_state import BreakerState
from ..models.provider_kind import ProviderKind
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_info import ModelInfo


T = TypeVar("T", bound="ProviderModels")


@_attrs_define
class ProviderModels:
    """One provider's models and reachability.

    Attributes:
        provider (str): Provider name.
        kind (ProviderKind): Which wire format a provider speaks.
        reachable (bool): Whether the model listing succeeded.
        models (list['ModelInfo']): Discovered models (or, when unreachable, the configured ones).
        breaker (BreakerState): Circuit breaker state.
        error (Union[None, Unset, str]): Why the listing failed.
    """

    provider: str
    kind: ProviderKind
    reachable: bool
    models: list["ModelInfo"]
    breaker: BreakerState
    error: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        provider = self.provider

        kind = self.kind.value

        reachable = self.reachable

        models = []
        for models_item_data in self.models:
            models_item = models_item_data.to_dict()
            models.append(models_item)

        breaker = self.breaker.value

        error: Union[None, Unset, str]
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "provider": provider,
                "kind": kind,
                "reachable": reachable,
                "models": models,
                "breaker": breaker,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_info import ModelInfo

        d = dict(src_dict)
        provider = d.pop("provider")

        kind = ProviderKind(d.pop("kind"))

        reachable = d.pop("reachable")

        models = []
        _models = d.pop("models")
        for models_item_data in _models:
            models_item = ModelInfo.from_dict(models_item_data)

            models.append(models_item)

        breaker = BreakerState(d.pop("breaker"))

        def _parse_error(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        error = _parse_error(d.pop("error", UNSET))

        provider_models = cls(
            provider=provider,
            kind=kind,
            reachable=reachable,
            models=models,
            breaker=breaker,
            error=error,
        )

        provider_models.additional_properties = d
        return provider_models

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
