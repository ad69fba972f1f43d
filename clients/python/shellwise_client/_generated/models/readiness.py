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
    from ..models.audit_info import AuditInfo
    from ..models.interpreter_info import InterpreterInfo
    from ..models.isolation_info import IsolationInfo


T = TypeVar("T", bound="Readiness")


@_attrs_define
class Readiness:
    """Readiness and what is active on this server.

    Example:
        {'status': 'ready', 'version': '0.1.0', 'sandbox': 'none (process groups, wall-time and output limits only)',
            'policy': 'none (every authorized command runs)', 'analyzer': 'heuristic (no LLM configured)', 'interpreters':
            [{'language': 'python', 'path': '/usr/bin/python3'}, {'language': 'sh', 'path': '/usr/bin/sh'}], 'shells':
            ['/bin/sh', '/bin/bash'], 'audit': {'path': '/var/lib/shellwise/audit.log', 'failedWrites': 0, 'lastError':
            None}, 'isolation': {'identity': 'a uid per token from 70000-79999 (3 assigned)', 'active': ['pid namespace',
            'IPC namespace', 'private /tmp and /dev/shm', 'landlock (ABI 7)', 'seccomp'], 'missing': []}, 'running': 0,
            'maxConcurrent': 64}

    Attributes:
        status (str): `ready`, `shutting_down`, or `audit_unavailable` (audit.required is set and the last
            audit write failed).
        version (str):
        sandbox (str): Confinement in force (e.g. the detected cgroup mode).
        policy (str): The policy in force.
        analyzer (str): Who writes `aiAnalysis`: the heuristic analyzer, or LLM providers with it.
        interpreters (list['InterpreterInfo']):
        shells (list[str]): Shells a request may name in `shell`.
        isolation (IsolationInfo): How commands are isolated from each other and from the host.
        running (int): Commands running now.
        max_concurrent (int):
        audit (Union['AuditInfo', None, Unset]):
    """

    status: str
    version: str
    sandbox: str
    policy: str
    analyzer: str
    interpreters: list["InterpreterInfo"]
    shells: list[str]
    isolation: "IsolationInfo"
    running: int
    max_concurrent: int
    audit: Union["AuditInfo", None, Unset] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.audit_info import AuditInfo

        status = self.status

        version = self.version

        sandbox = self.sandbox

        policy = self.policy

        analyzer = self.analyzer

        interpreters = []
        for interpreters_item_data in self.interpreters:
            interpreters_item = interpreters_item_data.to_dict()
            interpreters.append(interpreters_item)

        shells = self.shells

        isolation = self.isolation.to_dict()

        running = self.running

        max_concurrent = self.max_concurrent

        audit: Union[None, Unset, dict[str, Any]]
        if isinstance(self.audit, Unset):
            audit = UNSET
        elif isinstance(self.audit, AuditInfo):
            audit = self.audit.to_dict()
        else:
            audit = self.audit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "version": version,
                "sandbox": sandbox,
                "policy": policy,
                "analyzer": analyzer,
                "interpreters": interpreters,
                "shells": shells,
                "isolation": isolation,
                "running": running,
                "maxConcurrent": max_concurrent,
            }
        )
        if audit is not UNSET:
            field_dict["audit"] = audit

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_info import AuditInfo
        from ..models.interpreter_info import InterpreterInfo
        from ..models.isolation_info import IsolationInfo

        d = dict(src_dict)
        status = d.pop("status")

        version = d.pop("version")

        sandbox = d.pop("sandbox")

        policy = d.pop("policy")

        analyzer = d.pop("analyzer")

        interpreters = []
        _interpreters = d.pop("interpreters")
        for interpreters_item_data in _interpreters:
            interpreters_item = InterpreterInfo.from_dict(interpreters_item_data)

            interpreters.append(interpreters_item)

        shells = cast(list[str], d.pop("shells"))

        isolation = IsolationInfo.from_dict(d.pop("isolation"))

        running = d.pop("running")

        max_concurrent = d.pop("maxConcurrent")

        def _parse_audit(data: object) -> Union["AuditInfo", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                audit_type_1 = AuditInfo.from_dict(data)

                return audit_type_1
            except:  # noqa: E722
                pass
            return cast(Union["AuditInfo", None, Unset], data)

        audit = _parse_audit(d.pop("audit", UNSET))

        readiness = cls(
            status=status,
            version=version,
            sandbox=sandbox,
            policy=policy,
            analyzer=analyzer,
            interpreters=interpreters,
            shells=shells,
            isolation=isolation,
            running=running,
            max_concurrent=max_concurrent,
            audit=audit,
        )

        readiness.additional_properties = d
        return readiness

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
