from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action import Action

if TYPE_CHECKING:
    from ..models.command_decision import CommandDecision


T = TypeVar("T", bound="PolicyDecision")


@_attrs_define
class PolicyDecision:
    """The policy's answer for a whole input.

    Attributes:
        decision (Action): What the policy says about a command.
        rule_id (str): The id of the rule behind `decision`.
        reason (str): Why, in words fit to show the caller.
        commands (list['CommandDecision']): Every simple command found, with its own decision.
    """

    decision: Action
    rule_id: str
    reason: str
    commands: list["CommandDecision"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        rule_id = self.rule_id

        reason = self.reason

        commands = []
        for commands_item_data in self.commands:
            commands_item = commands_item_data.to_dict()
            commands.append(commands_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision": decision,
                "ruleId": rule_id,
                "reason": reason,
                "commands": commands,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.command_decision import CommandDecision

        d = dict(src_dict)
        decision = Action(d.pop("decision"))

        rule_id = d.pop("ruleId")

        reason = d.pop("reason")

        commands = []
        _commands = d.pop("commands")
        for commands_item_data in _commands:
            commands_item = CommandDecision.from_dict(commands_item_data)

            commands.append(commands_item)

        policy_decision = cls(
            decision=decision,
            rule_id=rule_id,
            reason=reason,
            commands=commands,
        )

        policy_decision.additional_properties = d
        return policy_decision

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
