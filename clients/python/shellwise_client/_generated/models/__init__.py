"""Contains all the data models used in inputs/outputs"""

from .action import Action
from .analysis import Analysis
from .analysis_tag import AnalysisTag
from .analyze_mode import AnalyzeMode
from .analyze_request import AnalyzeRequest
from .analyze_request_signal_type_1 import AnalyzeRequestSignalType1
from .audit_info import AuditInfo
from .breaker_state import BreakerState
from .capabilities import Capabilities
from .category import Category
from .chat_body import ChatBody
from .chat_message import ChatMessage
from .chat_response import ChatResponse
from .code import Code
from .command_decision import CommandDecision
from .end_tag import EndTag
from .enforced import Enforced
from .error_tag import ErrorTag
from .exec_request import ExecRequest
from .exec_request_env_type_0 import ExecRequestEnvType0
from .exec_request_language_type_1 import ExecRequestLanguageType1
from .exec_request_language_type_2_type_1 import ExecRequestLanguageType2Type1
from .exec_request_language_type_3_type_1 import ExecRequestLanguageType3Type1
from .exec_result import ExecResult
from .exec_result_redactions import ExecResultRedactions
from .exit_summary import ExitSummary
from .exit_summary_redactions import ExitSummaryRedactions
from .exit_tag import ExitTag
from .fix import Fix
from .health import Health
from .interpreter_info import InterpreterInfo
from .isolation_info import IsolationInfo
from .job import Job
from .job_links import JobLinks
from .job_list import JobList
from .job_output import JobOutput
from .job_status import JobStatus
from .job_tail import JobTail
from .limit_hit import LimitHit
from .model_info import ModelInfo
from .model_list import ModelList
from .network import Network
from .omitted_range import OmittedRange
from .output_encoding import OutputEncoding
from .output_stream import OutputStream
from .output_tag import OutputTag
from .policy_decision import PolicyDecision
from .problem import Problem
from .provider_health import ProviderHealth
from .provider_kind import ProviderKind
from .provider_models import ProviderModels
from .readiness import Readiness
from .reloaded import Reloaded
from .request_limits import RequestLimits
from .resources import Resources
from .risk import Risk
from .role import Role
from .selected_model import SelectedModel
from .selected_model_state import SelectedModelState
from .source import Source
from .start_tag import StartTag
from .stream_analysis_event import StreamAnalysisEvent
from .stream_end_event import StreamEndEvent
from .stream_error_event import StreamErrorEvent
from .stream_event_frame import StreamEventFrame
from .stream_event_frame_event import StreamEventFrameEvent
from .stream_exit_event import StreamExitEvent
from .stream_output_event import StreamOutputEvent
from .stream_start_event import StreamStartEvent
from .usage import Usage

__all__ = (
    "Action",
    "Analysis",
    "AnalysisTag",
    "AnalyzeMode",
    "AnalyzeRequest",
    "AnalyzeRequestSignalType1",
    "AuditInfo",
    "BreakerState",
    "Capabilities",
    "Category",
    "ChatBody",
    "ChatMessage",
    "ChatResponse",
    "Code",
    "CommandDecision",
    "EndTag",
    "Enforced",
    "ErrorTag",
    "ExecRequest",
    "ExecRequestEnvType0",
    "ExecRequestLanguageType1",
    "ExecRequestLanguageType2Type1",
    "ExecRequestLanguageType3Type1",
    "ExecResult",
    "ExecResultRedactions",
    "ExitSummary",
    "ExitSummaryRedactions",
    "ExitTag",
    "Fix",
    "Health",
    "InterpreterInfo",
    "IsolationInfo",
    "Job",
    "JobLinks",
    "JobList",
    "JobOutput",
    "JobStatus",
    "JobTail",
    "LimitHit",
    "ModelInfo",
    "ModelList",
    "Network",
    "OmittedRange",
    "OutputEncoding",
    "OutputStream",
    "OutputTag",
    "PolicyDecision",
    "Problem",
    "ProviderHealth",
    "ProviderKind",
    "ProviderModels",
    "Readiness",
    "Reloaded",
    "RequestLimits",
    "Resources",
    "Risk",
    "Role",
    "SelectedModel",
    "SelectedModelState",
    "Source",
    "StartTag",
    "StreamAnalysisEvent",
    "StreamEndEvent",
    "StreamErrorEvent",
    "StreamEventFrame",
    "StreamEventFrameEvent",
    "StreamExitEvent",
    "StreamOutputEvent",
    "StreamStartEvent",
    "Usage",
)
