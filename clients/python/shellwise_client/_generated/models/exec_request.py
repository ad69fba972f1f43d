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

from ..models.analyze_mode import AnalyzeMode
from ..models.exec_request_language_type_1 import ExecRequestLanguageType1
from ..models.exec_request_language_type_2_type_1 import ExecRequestLanguageType2Type1
from ..models.exec_request_language_type_3_type_1 import ExecRequestLanguageType3Type1
from ..models.network import Network
from ..models.output_encoding import OutputEncoding
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.exec_request_env_type_0 import ExecRequestEnvType0
    from ..models.request_limits import RequestLimits


T = TypeVar("T", bound="ExecRequest")


@_attrs_define
class ExecRequest:
    """
    Attributes:
        command (Union[None, Unset, str]): A shell command line, run with `/bin/sh -c` (or `shell`); not blank. Example:
            ls -la | head -n 5.
        shell (Union[None, Unset, str]): Which allowed shell runs `command` (only with `command`): a path or a name from
            `/readyz` `shells`. Example: /bin/bash.
        argv (Union[None, Unset, list[str]]): A program and its arguments, run without a shell. The program (`argv[0]`)
            must not be
            empty; later arguments may be. Example: ['git', 'status', '--short'].
        code (Union[None, Unset, str]): Source code to run with `language`'s interpreter. Example:
            print(sum(range(10))).
        language (Union[ExecRequestLanguageType1, ExecRequestLanguageType2Type1, ExecRequestLanguageType3Type1, None,
            Unset]): `python` (or `python3`, `py`), `node` (or `nodejs`, `js`, `javascript`), `bash` or
            `sh` — whichever `/readyz` lists as available. Example: python.
        cwd (Union[None, Unset, str]): Working directory: absolute, or relative to the server's default. Example: /tmp.
        workspace (Union[None, Unset, str]): The workspace to run in (`default`, or an id from createWorkspace); `cwd`
            is then
            resolved inside it, and the command runs as the workspace owner's identity. Example: ws_4f1c9a0b2d3e5f60.
        env (Union['ExecRequestEnvType0', None, Unset]): Extra environment variables, set over a scrubbed base
            environment. Names are not
            empty and have no `=`; names and values have no NUL.
        stdin (Union[None, Unset, str]): Text written to the command's standard input (otherwise stdin is /dev/null).
        timeout_ms (Union[None, Unset, int]): Wall-clock limit in milliseconds (default 30000; maximum
            `exec.max_timeout_ms`). On
            expiry the process group gets SIGTERM, then SIGKILL after a grace period. Example: 30000.
        output_encoding (Union[None, OutputEncoding, Unset]):
        limits (Union['RequestLimits', None, Unset]):
        network (Union[Network, None, Unset]):
        analyze (Union[AnalyzeMode, None, Unset]):
        confirm_token (Union[None, Unset, str]): The token from a `409 confirmation_required` answer, to run this exact
            request once.
        best_effort (Union[Unset, bool]): Run even if a limit asked for in `limits` cannot be enforced on this host
            (then
            `limitsEnforced` shows what did apply). Default `false`: such a request is refused with
            422 `limit_unenforceable`.
    """

    command: Union[None, Unset, str] = UNSET
    shell: Union[None, Unset, str] = UNSET
    argv: Union[None, Unset, list[str]] = UNSET
    code: Union[None, Unset, str] = UNSET
    language: Union[
        ExecRequestLanguageType1,
        ExecRequestLanguageType2Type1,
        ExecRequestLanguageType3Type1,
        None,
        Unset,
    ] = UNSET
    cwd: Union[None, Unset, str] = UNSET
    workspace: Union[None, Unset, str] = UNSET
    env: Union["ExecRequestEnvType0", None, Unset] = UNSET
    stdin: Union[None, Unset, str] = UNSET
    timeout_ms: Union[None, Unset, int] = UNSET
    output_encoding: Union[None, OutputEncoding, Unset] = UNSET
    limits: Union["RequestLimits", None, Unset] = UNSET
    network: Union[Network, None, Unset] = UNSET
    analyze: Union[AnalyzeMode, None, Unset] = UNSET
    confirm_token: Union[None, Unset, str] = UNSET
    best_effort: Union[Unset, bool] = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.exec_request_env_type_0 import ExecRequestEnvType0
        from ..models.request_limits import RequestLimits

        command: Union[None, Unset, str]
        if isinstance(self.command, Unset):
            command = UNSET
        else:
            command = self.command

        shell: Union[None, Unset, str]
        if isinstance(self.shell, Unset):
            shell = UNSET
        else:
            shell = self.shell

        argv: Union[None, Unset, list[str]]
        if isinstance(self.argv, Unset):
            argv = UNSET
        elif isinstance(self.argv, list):
            argv = []
            for argv_type_0_item_data in self.argv:
                argv_type_0_item: str
                argv_type_0_item = argv_type_0_item_data
                argv.append(argv_type_0_item)

        else:
            argv = self.argv

        code: Union[None, Unset, str]
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        language: Union[None, Unset, str]
        if isinstance(self.language, Unset):
            language = UNSET
        elif isinstance(self.language, ExecRequestLanguageType1):
            language = self.language.value
        elif isinstance(self.language, ExecRequestLanguageType2Type1):
            language = self.language.value
        elif isinstance(self.language, ExecRequestLanguageType3Type1):
            language = self.language.value
        else:
            language = self.language

        cwd: Union[None, Unset, str]
        if isinstance(self.cwd, Unset):
            cwd = UNSET
        else:
            cwd = self.cwd

        workspace: Union[None, Unset, str]
        if isinstance(self.workspace, Unset):
            workspace = UNSET
        else:
            workspace = self.workspace

        env: Union[None, Unset, dict[str, Any]]
        if isinstance(self.env, Unset):
            env = UNSET
        elif isinstance(self.env, ExecRequestEnvType0):
            env = self.env.to_dict()
        else:
            env = self.env

        stdin: Union[None, Unset, str]
        if isinstance(self.stdin, Unset):
            stdin = UNSET
        else:
            stdin = self.stdin

        timeout_ms: Union[None, Unset, int]
        if isinstance(self.timeout_ms, Unset):
            timeout_ms = UNSET
        else:
            timeout_ms = self.timeout_ms

        output_encoding: Union[None, Unset, str]
        if isinstance(self.output_encoding, Unset):
            output_encoding = UNSET
        elif isinstance(self.output_encoding, OutputEncoding):
            output_encoding = self.output_encoding.value
        else:
            output_encoding = self.output_encoding

        limits: Union[None, Unset, dict[str, Any]]
        if isinstance(self.limits, Unset):
            limits = UNSET
        elif isinstance(self.limits, RequestLimits):
            limits = self.limits.to_dict()
        else:
            limits = self.limits

        network: Union[None, Unset, str]
        if isinstance(self.network, Unset):
            network = UNSET
        elif isinstance(self.network, Network):
            network = self.network.value
        else:
            network = self.network

        analyze: Union[None, Unset, str]
        if isinstance(self.analyze, Unset):
            analyze = UNSET
        elif isinstance(self.analyze, AnalyzeMode):
            analyze = self.analyze.value
        else:
            analyze = self.analyze

        confirm_token: Union[None, Unset, str]
        if isinstance(self.confirm_token, Unset):
            confirm_token = UNSET
        else:
            confirm_token = self.confirm_token

        best_effort = self.best_effort

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if command is not UNSET:
            field_dict["command"] = command
        if shell is not UNSET:
            field_dict["shell"] = shell
        if argv is not UNSET:
            field_dict["argv"] = argv
        if code is not UNSET:
            field_dict["code"] = code
        if language is not UNSET:
            field_dict["language"] = language
        if cwd is not UNSET:
            field_dict["cwd"] = cwd
        if workspace is not UNSET:
            field_dict["workspace"] = workspace
        if env is not UNSET:
            field_dict["env"] = env
        if stdin is not UNSET:
            field_dict["stdin"] = stdin
        if timeout_ms is not UNSET:
            field_dict["timeoutMs"] = timeout_ms
        if output_encoding is not UNSET:
            field_dict["outputEncoding"] = output_encoding
        if limits is not UNSET:
            field_dict["limits"] = limits
        if network is not UNSET:
            field_dict["network"] = network
        if analyze is not UNSET:
            field_dict["analyze"] = analyze
        if confirm_token is not UNSET:
            field_dict["confirmToken"] = confirm_token
        if best_effort is not UNSET:
            field_dict["bestEffort"] = best_effort

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.exec_request_env_type_0 import ExecRequestEnvType0
        from ..models.request_limits import RequestLimits

        d = dict(src_dict)

        def _parse_command(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        command = _parse_command(d.pop("command", UNSET))

        def _parse_shell(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        shell = _parse_shell(d.pop("shell", UNSET))

        def _parse_argv(data: object) -> Union[None, Unset, list[str]]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                argv_type_0 = []
                _argv_type_0 = data
                for argv_type_0_item_data in _argv_type_0:

                    def _parse_argv_type_0_item(data: object) -> str:
                        return cast(str, data)

                    argv_type_0_item = _parse_argv_type_0_item(argv_type_0_item_data)

                    argv_type_0.append(argv_type_0_item)

                return argv_type_0
            except:  # noqa: E722
                pass
            return cast(Union[None, Unset, list[str]], data)

        argv = _parse_argv(d.pop("argv", UNSET))

        def _parse_code(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_language(
            data: object,
        ) -> Union[
            ExecRequestLanguageType1,
            ExecRequestLanguageType2Type1,
            ExecRequestLanguageType3Type1,
            None,
            Unset,
        ]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_1 = ExecRequestLanguageType1(data)

                return language_type_1
            except:  # noqa: E722
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_2_type_1 = ExecRequestLanguageType2Type1(data)

                return language_type_2_type_1
            except:  # noqa: E722
                pass
            try:
                if not isinstance(data, str):
                    raise TypeError()
                language_type_3_type_1 = ExecRequestLanguageType3Type1(data)

                return language_type_3_type_1
            except:  # noqa: E722
                pass
            return cast(
                Union[
                    ExecRequestLanguageType1,
                    ExecRequestLanguageType2Type1,
                    ExecRequestLanguageType3Type1,
                    None,
                    Unset,
                ],
                data,
            )

        language = _parse_language(d.pop("language", UNSET))

        def _parse_cwd(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        cwd = _parse_cwd(d.pop("cwd", UNSET))

        def _parse_workspace(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        workspace = _parse_workspace(d.pop("workspace", UNSET))

        def _parse_env(data: object) -> Union["ExecRequestEnvType0", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                env_type_0 = ExecRequestEnvType0.from_dict(data)

                return env_type_0
            except:  # noqa: E722
                pass
            return cast(Union["ExecRequestEnvType0", None, Unset], data)

        env = _parse_env(d.pop("env", UNSET))

        def _parse_stdin(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        stdin = _parse_stdin(d.pop("stdin", UNSET))

        def _parse_timeout_ms(data: object) -> Union[None, Unset, int]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, int], data)

        timeout_ms = _parse_timeout_ms(d.pop("timeoutMs", UNSET))

        def _parse_output_encoding(data: object) -> Union[None, OutputEncoding, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                output_encoding_type_1 = OutputEncoding(data)

                return output_encoding_type_1
            except:  # noqa: E722
                pass
            return cast(Union[None, OutputEncoding, Unset], data)

        output_encoding = _parse_output_encoding(d.pop("outputEncoding", UNSET))

        def _parse_limits(data: object) -> Union["RequestLimits", None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                limits_type_1 = RequestLimits.from_dict(data)

                return limits_type_1
            except:  # noqa: E722
                pass
            return cast(Union["RequestLimits", None, Unset], data)

        limits = _parse_limits(d.pop("limits", UNSET))

        def _parse_network(data: object) -> Union[Network, None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                network_type_1 = Network(data)

                return network_type_1
            except:  # noqa: E722
                pass
            return cast(Union[Network, None, Unset], data)

        network = _parse_network(d.pop("network", UNSET))

        def _parse_analyze(data: object) -> Union[AnalyzeMode, None, Unset]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                analyze_type_1 = AnalyzeMode(data)

                return analyze_type_1
            except:  # noqa: E722
                pass
            return cast(Union[AnalyzeMode, None, Unset], data)

        analyze = _parse_analyze(d.pop("analyze", UNSET))

        def _parse_confirm_token(data: object) -> Union[None, Unset, str]:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(Union[None, Unset, str], data)

        confirm_token = _parse_confirm_token(d.pop("confirmToken", UNSET))

        best_effort = d.pop("bestEffort", UNSET)

        exec_request = cls(
            command=command,
            shell=shell,
            argv=argv,
            code=code,
            language=language,
            cwd=cwd,
            workspace=workspace,
            env=env,
            stdin=stdin,
            timeout_ms=timeout_ms,
            output_encoding=output_encoding,
            limits=limits,
            network=network,
            analyze=analyze,
            confirm_token=confirm_token,
            best_effort=best_effort,
        )

        exec_request.additional_properties = d
        return exec_request

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
