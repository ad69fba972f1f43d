//! The vocabulary of the analyzer: the precise sub-classes of a failure ([`Kind`]) and the
//! named weights hits are ranked by. Shared by the hand-written rules and the catalog.

use super::Category;

/// A precise sub-class of a failure; it decides the wording and the fixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    MissingCommand,
    MissingInterpreter,
    NotExecutable,
    AccessDenied,
    ReadOnlyFs,
    NeedRoot,
    DockerSocket,
    NpmGlobal,
    NotPermitted,
    MissingPath,
    MissingCargoManifest,
    NoMakefile,
    MakeMissingPrerequisite,
    RemoteNotFound,
    ImageNotFound,
    MissingDatabase,
    JavaMainClass,
    PythonModule,
    NodeModule,
    CHeader,
    LinkLib,
    SharedLib,
    PkgConfig,
    JavaPackage,
    JavaClass,
    RustCrate,
    CargoPackage,
    Linker,
    GoPackage,
    BuildDeps,
    NpmPackage,
    NpmResolve,
    PipDistribution,
    AptPackage,
    PythonImportName,
    ConnRefused,
    Dns,
    Tls,
    NetTimeout,
    DockerDaemon,
    Unreachable,
    ServerError,
    NetGeneric,
    HttpAuth,
    GitAuth,
    SshAuth,
    DbAuth,
    SudoAuth,
    RegistryAuth,
    AuthGeneric,
    ShellSyntax,
    PythonSyntax,
    JsSyntax,
    MakefileSyntax,
    DataSyntax,
    SqlSyntax,
    ConfigSyntax,
    /// A file that did not parse, named by a location or a generic parse message.
    ParseError,
    BadOption,
    BadValue,
    MissingArgument,
    UnknownSubcommand,
    NoMakeTarget,
    NotGitRepo,
    ExternallyManaged,
    NpmMissingScript,
    UsageGeneric,
    CompilerError,
    RustError,
    LinkError,
    BuildFailed,
    /// A linter's or type checker's findings (`file:3:1: F401 …`, eslint's problems).
    LintFindings,
    TestsFailed,
    FailingTest,
    Exception,
    ReportedError,
    Panic,
    Crash,
    AssertFailed,
    UnboundVariable,
    DbLocked,
    MergeConflict,
    PushRejected,
    OutOfMemory,
    HeapLimit,
    MemoryLimit,
    DiskFull,
    QuotaExceeded,
    PortInUse,
    WallLimit,
    TimeoutCommand,
    TimeoutExit,
    TimeoutException,
    Signaled,
    TooManyFiles,
    ProcessLimit,
    CpuLimit,
    FileSizeLimit,
    OutputLimit,
    ArgListTooLong,
    PidsLimit,
    BenignExit,
    Unknown,
    /// A failure a catalog entry names by its category only; the entry's templates word it.
    Cataloged(Category),
}

impl Kind {
    pub(super) fn category(self) -> Category {
        use Kind::*;
        match self {
            MissingCommand | MissingInterpreter => Category::CommandNotFound,
            NotExecutable | AccessDenied | ReadOnlyFs | NeedRoot | DockerSocket | NpmGlobal
            | NotPermitted => Category::PermissionDenied,
            MissingPath
            | MissingCargoManifest
            | NoMakefile
            | MakeMissingPrerequisite
            | RemoteNotFound
            | ImageNotFound
            | MissingDatabase
            | JavaMainClass => Category::FileNotFound,
            PythonModule | NodeModule | CHeader | LinkLib | SharedLib | PkgConfig | JavaPackage
            | JavaClass | RustCrate | CargoPackage | Linker | GoPackage | BuildDeps
            | NpmPackage | NpmResolve | PipDistribution | AptPackage | PythonImportName => {
                Category::MissingDependency
            }
            ConnRefused | Dns | Tls | NetTimeout | DockerDaemon | Unreachable | NetGeneric => {
                Category::Network
            }
            HttpAuth | GitAuth | SshAuth | DbAuth | SudoAuth | RegistryAuth | AuthGeneric => {
                Category::AuthFailure
            }
            ShellSyntax | PythonSyntax | JsSyntax | MakefileSyntax | DataSyntax | SqlSyntax
            | ConfigSyntax | ParseError => Category::SyntaxError,
            BadOption | BadValue | MissingArgument | UnknownSubcommand | NoMakeTarget
            | NotGitRepo | ExternallyManaged | NpmMissingScript | UsageGeneric => {
                Category::UsageError
            }
            CompilerError | RustError | LinkError | BuildFailed | LintFindings => {
                Category::CompileError
            }
            TestsFailed | FailingTest => Category::TestFailure,
            Exception | ReportedError | Panic | Crash | AssertFailed | UnboundVariable
            | DbLocked | MergeConflict | PushRejected => Category::RuntimeError,
            // An HTTP 5xx answer: the connection was made and the server failed the request
            // (`Category::Network` is a connection that could not be made).
            ServerError => Category::RuntimeError,
            OutOfMemory | HeapLimit | MemoryLimit => Category::OutOfMemory,
            DiskFull | QuotaExceeded => Category::DiskFull,
            PortInUse => Category::PortInUse,
            WallLimit | TimeoutCommand | TimeoutExit | TimeoutException => Category::Timeout,
            Signaled => Category::Killed,
            TooManyFiles | ProcessLimit | CpuLimit | FileSizeLimit | OutputLimit
            | ArgListTooLong | PidsLimit => Category::ResourceLimit,
            BenignExit | Unknown => Category::Unknown,
            Cataloged(c) => c,
        }
    }

    /// The kind a catalog entry names (its variant name, e.g. `"DbAuth"`).
    pub(super) fn parse(name: &str) -> Option<Kind> {
        use Kind::*;
        Some(match name {
            "MissingCommand" => MissingCommand,
            "MissingInterpreter" => MissingInterpreter,
            "NotExecutable" => NotExecutable,
            "AccessDenied" => AccessDenied,
            "ReadOnlyFs" => ReadOnlyFs,
            "NeedRoot" => NeedRoot,
            "DockerSocket" => DockerSocket,
            "NpmGlobal" => NpmGlobal,
            "NotPermitted" => NotPermitted,
            "MissingPath" => MissingPath,
            "MissingCargoManifest" => MissingCargoManifest,
            "NoMakefile" => NoMakefile,
            "MakeMissingPrerequisite" => MakeMissingPrerequisite,
            "RemoteNotFound" => RemoteNotFound,
            "ImageNotFound" => ImageNotFound,
            "MissingDatabase" => MissingDatabase,
            "JavaMainClass" => JavaMainClass,
            "PythonModule" => PythonModule,
            "NodeModule" => NodeModule,
            "CHeader" => CHeader,
            "LinkLib" => LinkLib,
            "SharedLib" => SharedLib,
            "PkgConfig" => PkgConfig,
            "JavaPackage" => JavaPackage,
            "JavaClass" => JavaClass,
            "RustCrate" => RustCrate,
            "CargoPackage" => CargoPackage,
            "Linker" => Linker,
            "GoPackage" => GoPackage,
            "BuildDeps" => BuildDeps,
            "NpmPackage" => NpmPackage,
            "NpmResolve" => NpmResolve,
            "PipDistribution" => PipDistribution,
            "AptPackage" => AptPackage,
            "PythonImportName" => PythonImportName,
            "ConnRefused" => ConnRefused,
            "Dns" => Dns,
            "Tls" => Tls,
            "NetTimeout" => NetTimeout,
            "DockerDaemon" => DockerDaemon,
            "Unreachable" => Unreachable,
            "ServerError" => ServerError,
            "NetGeneric" => NetGeneric,
            "HttpAuth" => HttpAuth,
            "GitAuth" => GitAuth,
            "SshAuth" => SshAuth,
            "DbAuth" => DbAuth,
            "SudoAuth" => SudoAuth,
            "RegistryAuth" => RegistryAuth,
            "AuthGeneric" => AuthGeneric,
            "ShellSyntax" => ShellSyntax,
            "PythonSyntax" => PythonSyntax,
            "JsSyntax" => JsSyntax,
            "MakefileSyntax" => MakefileSyntax,
            "DataSyntax" => DataSyntax,
            "SqlSyntax" => SqlSyntax,
            "ConfigSyntax" => ConfigSyntax,
            "ParseError" => ParseError,
            "BadOption" => BadOption,
            "BadValue" => BadValue,
            "MissingArgument" => MissingArgument,
            "UnknownSubcommand" => UnknownSubcommand,
            "NoMakeTarget" => NoMakeTarget,
            "NotGitRepo" => NotGitRepo,
            "ExternallyManaged" => ExternallyManaged,
            "NpmMissingScript" => NpmMissingScript,
            "UsageGeneric" => UsageGeneric,
            "CompilerError" => CompilerError,
            "RustError" => RustError,
            "LinkError" => LinkError,
            "BuildFailed" => BuildFailed,
            "LintFindings" => LintFindings,
            "TestsFailed" => TestsFailed,
            "FailingTest" => FailingTest,
            "Exception" => Exception,
            "ReportedError" => ReportedError,
            "Panic" => Panic,
            "Crash" => Crash,
            "AssertFailed" => AssertFailed,
            "UnboundVariable" => UnboundVariable,
            "DbLocked" => DbLocked,
            "MergeConflict" => MergeConflict,
            "PushRejected" => PushRejected,
            "OutOfMemory" => OutOfMemory,
            "HeapLimit" => HeapLimit,
            "MemoryLimit" => MemoryLimit,
            "DiskFull" => DiskFull,
            "QuotaExceeded" => QuotaExceeded,
            "PortInUse" => PortInUse,
            "WallLimit" => WallLimit,
            "TimeoutCommand" => TimeoutCommand,
            "TimeoutExit" => TimeoutExit,
            "TimeoutException" => TimeoutException,
            "Signaled" => Signaled,
            "TooManyFiles" => TooManyFiles,
            "ProcessLimit" => ProcessLimit,
            "CpuLimit" => CpuLimit,
            "FileSizeLimit" => FileSizeLimit,
            "OutputLimit" => OutputLimit,
            "ArgListTooLong" => ArgListTooLong,
            "PidsLimit" => PidsLimit,
            "BenignExit" => BenignExit,
            "Unknown" => Unknown,
            _ => return None,
        })
    }
}

// Ranking weights shared with the catalog (`weight = "…"`). Higher wins.
pub(super) const W_DOMINANT: u8 = 100;
pub(super) const W_TEST: u8 = 97;
pub(super) const W_SPECIFIC: u8 = 95;
pub(super) const W_STRONG: u8 = 80;
pub(super) const W_PATTERN: u8 = 60;
pub(super) const W_CONTEXT: u8 = 40;
