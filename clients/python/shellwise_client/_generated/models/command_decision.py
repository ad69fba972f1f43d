from collections.abc import Mapping
from typing import (
    Any,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action import Action

T = TypeVar("T", bound="CommandDecision")


@_attrs_define
class CommandDecision:
    """The decision for one simple command found in the input.

    Attributes:
        argv (list[str]): The command's words after quote removal and expansion, program first.
        decision (Action): What the policy says about a command.
        rule_id (str): The id of the rule that decided (`default` when none matched).
    """

    argv: list[str]
    decision: Action
    rule_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        argv = self.argv

        decision = self.decision.value

        rule_id = self.rule_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "argv": argv,
                "decision": decision,
                "ruleId": rule_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        argv = cast(list[str], d.pop("argv"))

        decision = Action(d.pop("decision"))

        rule_id = d.pop("ruleId")

        command_decision = cls(
            argv=argv,
            decision=decision,
            rule_id=rule_id,
        )

        command_decision.additional_properties = d
        return command_decision

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
