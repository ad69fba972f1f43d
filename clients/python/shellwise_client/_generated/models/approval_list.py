from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.token_role import TokenRole

if TYPE_CHECKING:
    from ..models.approval import Approval


T = TypeVar("T", bound="ApprovalList")


@_attrs_define
class ApprovalList:
    """The confirm tokens an approver may act on.

    Example:
        {'approverRole': 'admin', 'approvals': [{'token': 'cf_4f1c9a0b2d3e5f60', 'status': 'pending', 'ruleId': 'git-
            push-force', 'reason': 'a force push rewrites shared history', 'requester': 'ci', 'requesterRole': 'operator',
            'command': 'git push --force origin main', 'approvalMode': 'on-request', 'requestedAtMs': 1767225600000,
            'expiresInSecs': 284}]}

    Attributes:
        approver_role (TokenRole): What a token may do. Each role includes the ones below it.
        approvals (list['Approval']): Every live confirm token (pending, approved but not yet used, rejected), oldest
            first.
    """

    approver_role: TokenRole
    approvals: list["Approval"]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        approver_role = self.approver_role.value

        approvals = []
        for approvals_item_data in self.approvals:
            approvals_item = approvals_item_data.to_dict()
            approvals.append(approvals_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "approverRole": approver_role,
                "approvals": approvals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.approval import Approval

        d = dict(src_dict)
        approver_role = TokenRole(d.pop("approverRole"))

        approvals = []
        _approvals = d.pop("approvals")
        for approvals_item_data in _approvals:
            approvals_item = Approval.from_dict(approvals_item_data)

            approvals.append(approvals_item)

        approval_list = cls(
            approver_role=approver_role,
            approvals=approvals,
        )

        approval_list.additional_properties = d
        return approval_list

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
