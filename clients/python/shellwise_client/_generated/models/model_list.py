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
    from ..models.provider_health import ProviderHealth
    from ..models.provider_models import ProviderModels
    from ..models.selected_model import SelectedModel


T = TypeVar("T", bound="ModelList")


@_attrs_define
class ModelList:
    """Every provider's models, their capabilities, and each provider's health.

    Example:
        {'providers': [{'provider': 'local', 'kind': 'ollama', 'reachable': True, 'breaker': 'closed', 'models': [{'id':
            'llama3.2:latest', 'capabilities': {'chat': True, 'streaming': True, 'tools': True, 'jsonSchema': True,
            'vision': False, 'contextLength': 131072}}]}], 'health': [{'provider': 'local', 'kind': 'ollama', 'priority': 0,
            'state': 'closed', 'consecutiveFailures': 0}], 'selected': None}

    Attributes:
        providers (list['ProviderModels']): Per provider, in configuration order: reachability and models (the
            configured ones
            when the provider could not be asked).
        health (list['ProviderHealth']): Per provider: circuit-breaker state and the last failure's kind.
        selected (Union['SelectedModel', None, Unset]):
    """

    providers: list["ProviderModels"]
    health: list["ProviderHealth"]
    selected: Union["SelectedModel", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.selected_model import SelectedModel

        providers = []
        for providers_item_data in self.providers:
            providers_item = providers_item_data.to_dict()
            providers.append(providers_item)

        health = []
        for health_item_data in self.health:
            health_item = health_item_data.to_dict()
            health.append(health_item)

        selected: Union[None, Unset, dict[str, Any]]
        if isinstance(self.selected, Unset):
            selected = UNSET
        elif isinstance(self.selected, SelectedModel):
            selected = self.selected.to_dict()
        else:
            selected = self.selected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "providers": providers,
                "health": health,
            }
        )
        if selected is not UNSET:
            field_dict["selected"] = selected

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.provider_health import ProviderHealth
        from ..models.provider_models import ProviderModels
        from ..models.selected_model import SelectedModel

        d = dict(src_dict)
        providers = []
        _providers = d.pop("providers")
        for providers_item_data in _providers:
            providers_item = ProviderModels.from_dict(providers_item_data)

            providers.append(providers_item)

        health = []
        _health = d.pop("health")
        for health_item_data in _health:
            health_item = ProviderHealth.from_dict(health_item_data)

            health.append(health_item)

        def _parse_selected(data: object) -> Union["SelectedModel", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                selected_type_1 = SelectedModel.from_dict(data)

                return selected_type_1
            except:  # noqa: E722
                pass
            return cast(Union["SelectedModel", None, Unset], data)

        selected = _parse_selected(d.pop("selected", UNSET))

        model_list = cls(
            providers=providers,
            health=health,
            selected=selected,
        )

        model_list.additional_properties = d
        return model_list

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
