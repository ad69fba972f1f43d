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

from ..models.category import Category
from ..models.source import Source
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.fix import Fix


T = TypeVar("T", bound="Analysis")


@_attrs_define
class Analysis:
    """A structured explanation of why a command failed.

    Attributes:
        category (Category): The class of a failure.
        summary (str): One line naming what went wrong (and the module, command, file, port or host involved).
        root_cause (str): Why it went wrong, as specifically as the output allows.
        confidence (float): How sure the analysis is, from 0 to 1 (0.95: unambiguous; 0.6: plausible; 0.2: unknown).
        evidence (list[str]): Lines quoted verbatim (trimmed) from the command's output that support the diagnosis.
        fixes (list['Fix']): Suggested fixes, safest first.
        next_steps (list[str]): Read-only diagnostic steps to confirm the diagnosis.
        source (Source): Who wrote an analysis.
        provider (Union[None, Unset, str]): The LLM provider that contributed, if any.
        model (Union[None, Unset, str]): The LLM model that contributed, if any.
        latency_ms (Union[None, Unset, int]): How long the LLM took, in milliseconds, if one contributed.
    """

    category: Category
    summary: str
    root_cause: str
    confidence: float
    evidence: list[str]
    fixes: list["Fix"]
    next_steps: list[str]
    source: Source
    provider: Union[None, Unset, str] = UNSET
    model: Union[None, Unset, str] = UNSET
    latency_ms: Union[None, Unset, int] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category.value

        summary = self.summary

        root_cause = self.root_cause

        confidence = self.confidence

        evidence = self.evidence

        fixes = []
        for fixes_item_data in self.fixes:
            fixes_item = fixes_item_data.to_dict()
            fixes.append(fixes_item)

        next_steps = self.next_steps

        source = self.source.value

        provider: Union[None, Unset, str]
        if isinstance(self.provider, Unset):
            provider = UNSET
        else:
            provider = self.provider

        model: Union[None, Unset, str]
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        latency_ms: Union[None, Unset, int]
        if isinstance(self.latency_ms, Unset):
            latency_ms = UNSET
        else:
            latency_ms = self.latency_ms

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "category": category,
                "summary": summary,
                "rootCause": root_cause,
                "confidence": confidence,
                "evidence": evidence,
                "fixes": fixes,
                "nextSteps": next_steps,
                "source": source,
            }
        )
        if provider is not UNSET:
            field_dict["provider"] = provider
        if model is not UNSET:
            field_dict["model"] = model
        if latency_ms is not UNSET:
            field_dict["latencyMs"] = latency_ms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fix import Fix

        d = dict(src_dict)
        category = Category(d.pop("category"))

        summary = d.pop("summary")

        root_cause = d.pop("rootCause")

        confidence = d.pop("confidence")

        evidence = cast(list[str], d.pop("evidence"))

        fixes = []
        _fixes = d.pop("fixes")
        for fixes_item_data in _fixes:
            fixes_item = Fix.from_dict(fixes_item_data)

            fixes.append(fixes_item)

        next_steps = cast(list[str], d.pop("nextSteps"))

        source = Source(d.pop("source"))

        def _parse_provider(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        provider = _parse_provider(d.pop("provider", UNSET))

        def _parse_model(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_latency_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        latency_ms = _parse_latency_ms(d.pop("latencyMs", UNSET))

        analysis = cls(
            category=category,
            summary=summary,
            root_cause=root_cause,
            confidence=confidence,
            evidence=evidence,
            fixes=fixes,
            next_steps=next_steps,
            source=source,
            provider=provider,
            model=model,
            latency_ms=latency_ms,
        )

        analysis.additional_properties = d
        return analysis

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
