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
    from ..models.selected_model import SelectedModel


T = TypeVar("T", bound="SelectedModelState")


@_attrs_define
class SelectedModelState:
    """The current selection, if any.

    Example:
        {'selected': {'provider': 'local', 'model': 'llama3.2'}}

    Attributes:
        selected (Union['SelectedModel', None, Unset]):
    """

    selected: Union["SelectedModel", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.selected_model import SelectedModel

        selected: Union[None, Unset, dict[str, Any]]
        if isinstance(self.selected, Unset):
            selected = UNSET
        elif isinstance(self.selected, SelectedModel):
            selected = self.selected.to_dict()
        else:
            selected = self.selected

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if selected is not UNSET:
            field_dict["selected"] = selected

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.selected_model import SelectedModel

        d = dict(src_dict)

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

        selected_model_state = cls(
            selected=selected,
        )

        selected_model_state.additional_properties = d
        return selected_model_state

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
