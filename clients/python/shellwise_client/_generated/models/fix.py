from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    Union,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.risk import Risk
from ..types import UNSET, Unset

T = TypeVar("T", bound="Fix")


@_attrs_define
class Fix:
    """A suggested fix.

    Attributes:
        description (str): What the fix does and why it should help.
        risk (Risk): How risky it is to run a suggested fix.
        command (Union[None, Unset, str]): A shell command that applies the fix, when one is safe to suggest.
        policy_decision (Union[None, Unset, str]): The server's policy verdict on `command`: `allow`, `deny` or
            `confirm`.
    """

    description: str
    risk: Risk
    command: Union[None, Unset, str] = UNSET
    policy_decision: Union[None, Unset, str] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        description = self.description

        risk = self.risk.value

        command: Union[None, Unset, str]
        if isinstance(self.command, Unset):
            command = UNSET
        else:
            command = self.command

        policy_decision: Union[None, Unset, str]
        if isinstance(self.policy_decision, Unset):
            policy_decision = UNSET
        else:
            policy_decision = self.policy_decision

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "description": description,
                "risk": risk,
            }
        )
        if command is not UNSET:
            field_dict["command"] = command
        if policy_decision is not UNSET:
            field_dict["policyDecision"] = policy_decision

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        description = d.pop("description")

        risk = Risk(d.pop("risk"))

        def _parse_command(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        command = _parse_command(d.pop("command", UNSET))

        def _parse_policy_decision(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        policy_decision = _parse_policy_decision(d.pop("policyDecision", UNSET))

        fix = cls(
            description=description,
            risk=risk,
            command=command,
            policy_decision=policy_decision,
        )

        fix.additional_properties = d
        return fix

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
