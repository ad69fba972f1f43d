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

from ..models.action import Action
from ..models.approval_mode import ApprovalMode
from ..models.mode_source import ModeSource
from ..models.token_role import TokenRole
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.command_decision import CommandDecision


T = TypeVar("T", bound="PolicyDecision")


@_attrs_define
class PolicyDecision:
    """The policy's answer for a whole input under the caller's approval mode
    (`POST /v1/policy/check`): what exec would do with the same request.

        Attributes:
            decision (Action): What the policy says about a command.
            rule_id (str): The id of the rule behind `decision` (`approval-untrusted` when the mode asked).
            reason (str): Why, in words fit to show the caller.
            commands (list['CommandDecision']): Every simple command found, with its own decision (after the mode).
            approval_mode (ApprovalMode): How the policy's `confirm` tier applies to a token.
            approval_mode_source (ModeSource): Which setting gave a caller its mode.
            approver_role (Union[None, TokenRole, Unset]):
    """

    decision: Action
    rule_id: str
    reason: str
    commands: list["CommandDecision"]
    approval_mode: ApprovalMode
    approval_mode_source: ModeSource
    approver_role: Union[None, TokenRole, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        rule_id = self.rule_id

        reason = self.reason

        commands = []
        for commands_item_data in self.commands:
            commands_item = commands_item_data.to_dict()
            commands.append(commands_item)

        approval_mode = self.approval_mode.value

        approval_mode_source = self.approval_mode_source.value

        approver_role: Union[None, Unset, str]
        if isinstance(self.approver_role, Unset):
            approver_role = UNSET
        elif isinstance(self.approver_role, TokenRole):
            approver_role = self.approver_role.value
        else:
            approver_role = self.approver_role

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decision": decision,
                "ruleId": rule_id,
                "reason": reason,
                "commands": commands,
                "approvalMode": approval_mode,
                "approvalModeSource": approval_mode_source,
            }
        )
        if approver_role is not UNSET:
            field_dict["approverRole"] = approver_role

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

        approval_mode = ApprovalMode(d.pop("approvalMode"))

        approval_mode_source = ModeSource(d.pop("approvalModeSource"))

        def _parse_approver_role(data: object) -> Union[None, TokenRole, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                approver_role_type_1 = TokenRole(data)

                return approver_role_type_1
            except:  # noqa: E722
                pass
            return cast(Union[None, TokenRole, Unset], data)

        approver_role = _parse_approver_role(d.pop("approverRole", UNSET))

        policy_decision = cls(
            decision=decision,
            rule_id=rule_id,
            reason=reason,
            commands=commands,
            approval_mode=approval_mode,
            approval_mode_source=approval_mode_source,
            approver_role=approver_role,
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
