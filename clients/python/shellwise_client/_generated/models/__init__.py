"""Contains all the data models used in inputs/outputs"""

from .action import Action
from .analysis import Analysis
from .analysis_tag import AnalysisTag
from .analyze_mode import AnalyzeMode
from .analyze_request import AnalyzeRequest
from .analyze_request_signal_type_1 import AnalyzeRequestSignalType1
from .approval import Approval
from .approval_list import ApprovalList
from .approval_mode import ApprovalMode
from .approval_status import ApprovalStatus
from .audit_info import AuditInfo
from .breaker_state import BreakerState
from .capabilities import Capabilities
from .category import Category
from .chat_body import ChatBody
from .chat_message import ChatMessage
from .chat_response import ChatResponse
from .code import Code
from .command_decision import CommandDecision
from .context_line import ContextLine
from .create_workspace_request import CreateWorkspaceRequest
from .delete_result import DeleteResult
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
from .file_content import FileContent
from .file_content_redactions import FileContentRedactions
from .file_info import FileInfo
from .file_kind import FileKind
from .file_list import FileList
from .fix import Fix
from .health import Health
from .initial_file import InitialFile
from .interpreter_info import InterpreterInfo
from .isolation_info import IsolationInfo
from .job import Job
from .job_links import JobLinks
from .job_list import JobList
from .job_output import JobOutput
from .job_status import JobStatus
from .job_tail import JobTail
from .limit_hit import LimitHit
from .line_range import LineRange
from .mode_source import ModeSource
from .model_info import ModelInfo
from .model_list import ModelList
from .move_request import MoveRequest
from .network import Network
from .omitted_range import OmittedRange
from .output_encoding import OutputEncoding
from .output_stream import OutputStream
from .output_tag import OutputTag
from .patch_conflict import PatchConflict
from .patch_format_wire import PatchFormatWire
from .patch_request import PatchRequest
from .patch_result import PatchResult
from .patched_file import PatchedFile
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
from .search_match import SearchMatch
from .search_request import SearchRequest
from .search_result import SearchResult
from .search_result_redactions import SearchResultRedactions
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
from .token_role import TokenRole
from .usage import Usage
from .workspace import Workspace
from .workspace_list import WorkspaceList
from .workspace_usage import WorkspaceUsage
from .write_file_request import WriteFileRequest
from .write_mode_wire import WriteModeWire
from .write_result import WriteResult

__all__ = (
    "Action",
    "Analysis",
    "AnalysisTag",
    "AnalyzeMode",
    "AnalyzeRequest",
    "AnalyzeRequestSignalType1",
    "Approval",
    "ApprovalList",
    "ApprovalMode",
    "ApprovalStatus",
    "AuditInfo",
    "BreakerState",
    "Capabilities",
    "Category",
    "ChatBody",
    "ChatMessage",
    "ChatResponse",
    "Code",
    "CommandDecision",
    "ContextLine",
    "CreateWorkspaceRequest",
    "DeleteResult",
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
    "FileContent",
    "FileContentRedactions",
    "FileInfo",
    "FileKind",
    "FileList",
    "Fix",
    "Health",
    "InitialFile",
    "InterpreterInfo",
    "IsolationInfo",
    "Job",
    "JobLinks",
    "JobList",
    "JobOutput",
    "JobStatus",
    "JobTail",
    "LimitHit",
    "LineRange",
    "ModelInfo",
    "ModelList",
    "ModeSource",
    "MoveRequest",
    "Network",
    "OmittedRange",
    "OutputEncoding",
    "OutputStream",
    "OutputTag",
    "PatchConflict",
    "PatchedFile",
    "PatchFormatWire",
    "PatchRequest",
    "PatchResult",
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
    "SearchMatch",
    "SearchRequest",
    "SearchResult",
    "SearchResultRedactions",
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
    "TokenRole",
    "Usage",
    "Workspace",
    "WorkspaceList",
    "WorkspaceUsage",
    "WriteFileRequest",
    "WriteModeWire",
    "WriteResult",
)
