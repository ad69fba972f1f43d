//! Table tests: realistic snippets from many toolchains, with the category and the
//! specifics (module, package, port, host, file…) the analyzer must extract.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;

/// One synthetic failure and what the analysis must say about it.
struct Row {
    name: &'static str,
    command: &'static str,
    exit: Option<i32>,
    signal: Option<i32>,
    limit: Option<&'static str>,
    timed_out: bool,
    stderr: &'static str,
    stdout: &'static str,
    category: Category,
    summary: &'static str,
    /// The command of the first fix, if the first fix has one.
    fix: Option<&'static str>,
}

fn row(
    name: &'static str,
    command: &'static str,
    exit: i32,
    stderr: &'static str,
    category: Category,
    summary: &'static str,
    fix: Option<&'static str>,
) -> Row {
    Row {
        name,
        command,
        exit: Some(exit),
        signal: None,
        limit: None,
        timed_out: false,
        stderr,
        stdout: "",
        category,
        summary,
        fix,
    }
}

fn out(mut r: Row, stdout: &'static str) -> Row {
    r.stdout = stdout;
    r
}

fn ctx<'a>(r: &'a Row) -> FailureContext<'a> {
    FailureContext {
        command: r.command,
        exit_code: r.exit,
        signal: r.signal,
        timed_out: r.timed_out,
        limit: r.limit,
        stdout: r.stdout,
        stderr: r.stderr,
        cwd: None,
        sandboxed: false,
    }
}

use Category as C;

fn rows() -> Vec<Row> {
    vec![
        // ---- tests
        out(row("pytest_failures", "pytest -q", 1, "", C::TestFailure, "Tests failed: 1 failed, 2 passed in 0.12s", None),
            "============================= test session starts ==============================\ncollected 3 items\n\ntests/test_api.py .F.                                                     [100%]\n\n=================================== FAILURES ===================================\n___________________________________ test_get ___________________________________\n\n    def test_get():\n>       assert get('/x') == 200\nE       assert 404 == 200\n\ntests/test_api.py:7: AssertionError\n=========================== short test summary info ============================\nFAILED tests/test_api.py::test_get - assert 404 == 200\n========================= 1 failed, 2 passed in 0.12s ==========================\n"),
        out(row("pytest_collection_missing_module", "python -m pytest", 2, "", C::MissingDependency, "Python module `psycopg2` is not installed", Some("python -m pip install psycopg2-binary")),
            "==================================== ERRORS ====================================\n_____________________ ERROR collecting tests/test_db.py ______________________\nImportError while importing test module '/app/tests/test_db.py'.\nTraceback:\ntests/test_db.py:1: in <module>\n    import psycopg2\nE   ModuleNotFoundError: No module named 'psycopg2'\n=========================== short test summary info ============================\nERROR tests/test_db.py\n!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!\n=============================== 1 error in 0.08s ===============================\n"),
        row("jest_failure", "npx jest", 1, "FAIL src/sum.test.js\n  ● sum › adds numbers\n\n    expect(received).toBe(expected) // Object.is equality\n\n    Expected: 4\n    Received: 5\n\nTests:       1 failed, 3 passed, 4 total\nSnapshots:   0 total\nTime:        0.512 s\n", C::TestFailure, "Tests failed: 1 failed, 3 passed, 4 total", None),
        out(row("mocha_failing", "npx mocha", 1, "", C::TestFailure, "Tests failed: 1 failing", None),
            "  Array\n    #indexOf()\n      ✔ finds an element\n\n  2 passing (15ms)\n  1 failing\n\n  1) Array\n       #indexOf()\n         should return -1:\n     AssertionError [ERR_ASSERTION]: 0 == -1\n"),
        out(row("go_test_fail", "go test ./...", 1, "", C::TestFailure, "Test `TestParse` failed", None),
            "--- FAIL: TestParse (0.00s)\n    parse_test.go:12: got 3, want 4\nFAIL\nFAIL\texample.com/calc\t0.002s\nFAIL\n"),
        out(row("maven_test_failures", "mvn test", 1, "", C::TestFailure, "Tests failed: Tests run: 5, Failures: 2, Errors: 0, Skipped: 0", None),
            "[ERROR] Tests run: 5, Failures: 2, Errors: 0, Skipped: 0\n[INFO] BUILD FAILURE\n[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.1.2:test (default-test) on project demo: There are test failures.\n"),
        row("unittest_errors", "python3 -m unittest", 1, "E\n======================================================================\nERROR: test_load (test_cfg.TestCfg.test_load)\n----------------------------------------------------------------------\nTraceback (most recent call last):\n  File \"/app/test_cfg.py\", line 6, in test_load\n    cfg['x']\nKeyError: 'x'\n\n----------------------------------------------------------------------\nRan 1 test in 0.001s\n\nFAILED (errors=1)\n", C::TestFailure, "Tests failed: FAILED (errors=1)", None),
        // ---- compile
        row("go_build_undefined", "go build ./...", 1, "# example.com/app\n./main.go:8:2: undefined: fmt.Printl\n./main.go:9:9: undefined: helper\n", C::CompileError, "Compile error at ./main.go:8:2: undefined: fmt.Printl", None),
        out(row("maven_compile", "mvn -q package", 1, "", C::CompileError, "Compile error at /app/src/main/java/demo/App.java:[12,9]: cannot find symbol", None),
            "[ERROR] COMPILATION ERROR :\n[ERROR] /app/src/main/java/demo/App.java:[12,9] cannot find symbol\n[INFO] BUILD FAILURE\n"),
        row("gradle_compile", "./gradlew build", 1, "FAILURE: Build failed with an exception.\n\n* What went wrong:\nExecution failed for task ':app:compileJava'.\n> Compilation failed; see the compiler error output for details.\n", C::CompileError, "The build failed", None),
        row("tsc_error", "npx tsc", 2, "src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.\n\nFound 1 error in src/index.ts:3\n", C::CompileError, "Compile error at src/index.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.", None),
        row("clang_error", "clang -o app main.c", 1, "main.c:5:3: error: use of undeclared identifier 'y'\n    y = 2;\n    ^\n1 error generated.\n", C::CompileError, "Compile error at main.c:5:3: use of undeclared identifier 'y'", None),
        row("rustc_ansi", "cargo build", 101, "\u{1b}[0m\u{1b}[1m\u{1b}[38;5;9merror[E0425]\u{1b}[0m\u{1b}[0m\u{1b}[1m: cannot find value `x` in this scope\u{1b}[0m\n", C::CompileError, "Rust compile error E0425: cannot find value `x` in this scope", None),
        row("undefined_reference", "g++ -o app main.o", 1, "/usr/bin/ld: main.o: in function `main':\nmain.cpp:(.text+0x15): undefined reference to `Parser::parse()'\ncollect2: error: ld returned 1 exit status\n", C::CompileError, "Link error: undefined reference to `Parser::parse()`", None),
        // ---- missing dependencies
        row("go_missing_module", "go run .", 1, "main.go:5:2: no required module provides package github.com/gorilla/mux; to add it:\n\tgo get github.com/gorilla/mux\n", C::MissingDependency, "Go package `github.com/gorilla/mux` not found", Some("go get github.com/gorilla/mux")),
        row("java_class_not_found", "java -jar app.jar", 1, "Exception in thread \"main\" java.lang.ClassNotFoundException: org.postgresql.Driver\n\tat java.base/jdk.internal.loader.BuiltinClassLoader.loadClass(BuiltinClassLoader.java:641)\n", C::MissingDependency, "Java class `org.postgresql.Driver` not found at run time", None),
        row("npm_e404_private_registry", "npm view @acme/ui-kit version --registry http://127.0.0.1:4873/npm/", 1, "npm error code E404\nnpm error 404 Not Found - GET http://127.0.0.1:4873/npm/@acme%2fui-kit - Not found\n", C::MissingDependency, "npm package `@acme/ui-kit` is not in the registry", None),
        // ---- documented exit statuses, with nothing printed that names the cause
        row("perl_die_without_location", "perl -e 'die \"no config\\n\"'", 255, "no config\n", C::RuntimeError, "The Perl program stopped with `die` (exit 255)", None),
        row("unzip_quiet_bad_password", "unzip -qq -P guess secrets.zip", 82, "", C::AuthFailure, "The archive's password was wrong (or missing)", None),
        row("curl_silent_fail", "curl -sf https://example.invalid/api", 22, "", C::Network, "The server answered with an HTTP error status (curl exit 22)", None),
        row("ctest_quiet", "ctest -Q", 8, "", C::TestFailure, "Some tests failed (ctest exit 8)", None),
        row("npm_e404", "npm install reacct-dom", 1, "npm error code E404\nnpm error 404 Not Found - GET https://registry.npmjs.org/reacct-dom - Not found\nnpm error 404\nnpm error 404  'reacct-dom@*' is not in this registry.\n", C::MissingDependency, "npm package `reacct-dom` is not in the registry", None),
        row("npm_eresolve", "npm install", 1, "npm error code ERESOLVE\nnpm error ERESOLVE unable to resolve dependency tree\n", C::MissingDependency, "npm could not resolve a compatible dependency tree", Some("npm install --legacy-peer-deps")),
        row("pip_no_distribution", "pip install torch==1.2.3", 1, "ERROR: Could not find a version that satisfies the requirement torch==1.2.3 (from versions: 2.0.0, 2.0.1)\nERROR: No matching distribution found for torch==1.2.3\n", C::MissingDependency, "pip found no installable distribution for `torch==1.2.3`", None),
        row("apt_unable_to_locate", "apt-get install -y ripgrepp", 100, "Reading package lists...\nE: Unable to locate package ripgrepp\n", C::MissingDependency, "apt cannot find package `ripgrepp`", Some("apt-get update")),
        row("maven_dependency", "mvn package", 1, "[ERROR] Failed to execute goal on project demo: Could not resolve dependencies for project com.acme:demo:jar:1.0: Could not find artifact com.acme:lib:jar:2.0 in central\n", C::MissingDependency, "Build dependency `com.acme:lib:jar:2.0` could not be resolved", None),
        row("import_shared_object", "python3 app.py", 1, "Traceback (most recent call last):\n  File \"app.py\", line 1, in <module>\n    import cv2\nImportError: libGL.so.1: cannot open shared object file: No such file or directory\n", C::MissingDependency, "Shared library `libGL.so.1` not found at run time", None),
        row("import_cannot_import_name", "python3 app.py", 1, "Traceback (most recent call last):\n  File \"app.py\", line 1, in <module>\n    from jinja2 import Markup\nImportError: cannot import name 'soft_unicode' from 'markupsafe' (/usr/lib/python3/dist-packages/markupsafe/__init__.py)\n", C::MissingDependency, "Cannot import `soft_unicode` from `markupsafe`", None),
        row("python_dotted_module", "python3 app.py", 1, "ModuleNotFoundError: No module named 'google.protobuf'\n", C::MissingDependency, "Python module `google.protobuf` is not installed", Some("python3 -m pip install protobuf")),
        row("python_yaml", "python3 tool.py", 1, "Traceback (most recent call last):\n  File \"tool.py\", line 2, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'\n", C::MissingDependency, "Python module `yaml` is not installed", Some("python3 -m pip install PyYAML")),
        row("python_bs4", "python3 scrape.py", 1, "ModuleNotFoundError: No module named 'bs4'\n", C::MissingDependency, "Python module `bs4` is not installed", Some("python3 -m pip install beautifulsoup4")),
        row("python_sklearn_crlf", "python3 fit.py", 1, "Traceback (most recent call last):\r\n  File \"fit.py\", line 1, in <module>\r\nModuleNotFoundError: No module named 'sklearn'\r\n", C::MissingDependency, "Python module `sklearn` is not installed", Some("python3 -m pip install scikit-learn")),
        row("python_m_pytest_missing", "python3 -m pytest", 1, "/usr/bin/python3: No module named pytest\n", C::MissingDependency, "Python module `pytest` is not installed", Some("python3 -m pip install pytest")),
        row("node_scoped_module", "node build.js", 1, "Error: Cannot find module '@babel/core/lib/config'\nRequire stack:\n- /app/build.js\n", C::MissingDependency, "Node module `@babel/core/lib/config` is not installed", Some("npm install @babel/core")),
        row("ld_missing_ssl", "gcc -o app app.c -lssl", 1, "/usr/bin/ld: cannot find -lssl: No such file or directory\ncollect2: error: ld returned 1 exit status\n", C::MissingDependency, "Linker cannot find library `-lssl`", Some("apt-get install -y libssl-dev")),
        row("header_openssl", "gcc -c app.c", 1, "app.c:2:10: fatal error: openssl/ssl.h: No such file or directory\n    2 | #include <openssl/ssl.h>\n      |          ^~~~~~~~~~~~~~~\ncompilation terminated.\n", C::MissingDependency, "C/C++ header `openssl/ssl.h` not found", Some("apt-get install -y libssl-dev")),
        row("header_python", "pip install ./ext", 1, "ext/module.c:1:10: fatal error: Python.h: No such file or directory\ncompilation terminated.\n", C::MissingDependency, "C/C++ header `Python.h` not found", Some("apt-get install -y python3-dev")),
        row("rust_undeclared_crate_old", "cargo build", 101, "error[E0433]: failed to resolve: use of undeclared crate or module `rand`\n --> src/main.rs:1:5\n", C::MissingDependency, "Rust crate `rand` is not a dependency", Some("cargo add rand")),
        // ---- command not found
        row("zsh_not_found", "kubectl get pods", 127, "zsh: command not found: kubectl\n", C::CommandNotFound, "Command `kubectl` not found", None),
        row("jq_not_found", "curl -s localhost:8080/api | jq .items", 127, "bash: jq: command not found\n", C::CommandNotFound, "Command `jq` not found", Some("apt-get install -y jq")),
        row("python_not_found", "python script.py", 127, "bash: python: command not found\n", C::CommandNotFound, "Command `python` not found", Some("python3 script.py")),
        row("typo_python", "pyhton3 app.py", 127, "bash: line 1: pyhton3: command not found\n", C::CommandNotFound, "Command `pyhton3` not found", Some("python3 app.py")),
        row("convert_not_found", "convert in.png out.jpg", 127, "bash: convert: command not found\n", C::CommandNotFound, "Command `convert` not found", Some("apt-get install -y imagemagick")),
        row("sh_gcc_not_found", "sh build.sh", 127, "build.sh: 3: gcc: not found\n", C::CommandNotFound, "Command `gcc` not found", Some("apt-get install -y build-essential")),
        row("exit_127_silent", "terraform plan", 127, "", C::CommandNotFound, "Command `terraform` not found", None),
        // A missing "file" the command runs as a program is a missing program.
        row("find_exec_missing", "find conf -name '*.json' -exec jsonlint -q {} +", 1, "find: ‘jsonlint’: No such file or directory\n", C::CommandNotFound, "Command `jsonlint` not found", None),
        row("subprocess_list_missing", "python3 -c \"import subprocess; subprocess.run(['ffmpeg', '-i', 'a.mp4'])\"", 1, "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nFileNotFoundError: [Errno 2] No such file or directory: 'ffmpeg'\n", C::CommandNotFound, "Command `ffmpeg` not found", Some("apt-get install -y ffmpeg")),
        row("open_bare_name_missing", "python3 -c \"open('notes')\"", 1, "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\nFileNotFoundError: [Errno 2] No such file or directory: 'notes'\n", C::FileNotFound, "`notes` does not exist", None),
        // ---- files
        row("npm_enoent", "npm start", 254, "npm error code ENOENT\nnpm error syscall open\nnpm error path /app/package.json\nnpm error errno -2\nnpm error enoent Could not read package.json: Error: ENOENT: no such file or directory, open '/app/package.json'\n", C::FileNotFound, "`/app/package.json` does not exist", None),
        row("node_relative_module", "node index.js", 1, "Error: Cannot find module './utils/format'\nRequire stack:\n- /app/index.js\n", C::FileNotFound, "`./utils/format` does not exist", None),
        row("make_needed_by", "make", 2, "make: *** No rule to make target 'src/main.o', needed by 'app'.  Stop.\n", C::FileNotFound, "make cannot build `src/main.o`: file missing and no rule", None),
        row("mkdir_no_parent", "mkdir out/reports/2024", 1, "mkdir: cannot create directory ‘out/reports/2024’: No such file or directory\n", C::FileNotFound, "`out/reports/2024` does not exist", Some("mkdir -p out/reports/2024")),
        row("docker_manifest_unknown", "docker pull nginx:1.99", 1, "Error response from daemon: manifest for nginx:1.99 not found: manifest unknown: manifest unknown\n", C::FileNotFound, "Container image nginx:1.99 not found", None),
        row("curl_404", "curl -fsS https://example.com/v2/items", 22, "curl: (22) The requested URL returned error: 404\n", C::FileNotFound, "HTTP 404 Not Found from example.com", None),
        // ---- permissions
        row("exit_126_build", "./build.sh", 126, "bash: ./build.sh: Permission denied\n", C::PermissionDenied, "`./build.sh` is not executable", Some("chmod +x ./build.sh")),
        row("exit_126_silent", "./run.sh", 126, "", C::PermissionDenied, "`./run.sh` is not executable", Some("chmod +x ./run.sh")),
        row("python_erofs", "python3 save.py", 1, "OSError: [Errno 30] Read-only file system: '/app/data.db'\n", C::PermissionDenied, "Cannot write `/app/data.db`: read-only file system", None),
        row("python_permission_log", "python3 app.py", 1, "PermissionError: [Errno 13] Permission denied: '/var/log/app.log'\n", C::PermissionDenied, "Permission denied: `/var/log/app.log`", None),
        // ---- network
        row("requests_refused", "python3 client.py", 1, "requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=8000): Max retries exceeded with url: /api (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))\n", C::Network, "Connection refused by localhost:8000", None),
        row("node_enotfound", "node sync.js", 1, "Error: getaddrinfo ENOTFOUND api.exmaple.com\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (node:dns:107:26)\n", C::Network, "Cannot resolve host `api.exmaple.com`", None),
        row("node_etimedout", "node migrate.js", 1, "Error: connect ETIMEDOUT 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)\n", C::Network, "Network operation timed out talking to 10.0.0.5:5432", None),
        row("ssh_no_route", "ssh deploy@10.1.2.3", 255, "ssh: connect to host 10.1.2.3 port 22: No route to host\n", C::Network, "Network unreachable: 10.1.2.3:22", None),
        row("curl_503", "curl -f https://example.com/health", 22, "curl: (22) The requested URL returned error: 503\n", C::RuntimeError, "Server error (HTTP 503) from example.com", None),
        row("curl_cert", "curl https://api.internal/v1", 60, "curl: (60) SSL certificate problem: self-signed certificate\nMore details here: https://curl.se/docs/sslcerts.html\n", C::Network, "TLS handshake or certificate verification failed with api.internal", None),
        row("curl_silent_refused", "curl -s http://127.0.0.1:9200/", 7, "", C::Network, "Connection refused by 127.0.0.1", None),
        // ---- auth
        row("ssh_publickey", "git push origin main", 128, "git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n", C::AuthFailure, "SSH authentication failed", None),
        row("host_key", "git pull", 128, "Host key verification failed.\nfatal: Could not read from remote repository.\n", C::AuthFailure, "SSH authentication failed", None),
        row("mysql_access_denied", "mysql -u root -p$PW app", 1, "ERROR 1045 (28000): Access denied for user 'root'@'localhost' (using password: YES)\n", C::AuthFailure, "Database authentication failed for user `root`", None),
        row("docker_pull_denied", "docker pull acme/private", 1, "Error response from daemon: pull access denied for acme/private, repository does not exist or may require 'docker login': denied: requested access to the resource is denied\n", C::AuthFailure, "The registry requires authentication", None),
        row("sudo_password", "sudo systemctl restart nginx", 1, "sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n", C::AuthFailure, "sudo needs a password", None),
        // ---- syntax
        row("yaml_scanner", "python3 load.py", 1, "yaml.scanner.ScannerError: mapping values are not allowed here\n  in \"config.yml\", line 3, column 8\n", C::SyntaxError, "Malformed input data: mapping values are not allowed here", None),
        row("json_decode", "python3 parse.py", 1, "json.decoder.JSONDecodeError: Expecting ',' delimiter: line 1 column 10 (char 9)\n", C::SyntaxError, "Malformed input data: Expecting ',' delimiter: line 1 column 10 (char 9)", None),
        row("mysql_syntax", "mysql app < q.sql", 1, "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'FORM users' at line 1\n", C::SyntaxError, "SQL syntax error near `FORM users`", None),
        row("bash_eof", "bash deploy.sh", 2, "deploy.sh: line 12: syntax error: unexpected end of file\n", C::SyntaxError, "Shell syntax error in deploy.sh", None),
        // ---- usage
        row("pip_externally_managed", "pip install requests", 1, "error: externally-managed-environment\n\n× This environment is externally managed\n╰─> To install Python packages system-wide, try apt install\n    python3-xyz, where xyz is the package you are trying to\n    install.\n", C::UsageError, "pip refuses to install into the system Python (PEP 668)", Some("python3 -m venv .venv && .venv/bin/python -m pip install requests")),
        row("npm_missing_script", "npm run start", 1, "npm error Missing script: \"start\"\nnpm error\nnpm error To see a list of scripts, run:\nnpm error   npm run\n", C::UsageError, "package.json has no script `start`", None),
        row("clap_unexpected_argument", "rg --frobnicate x", 2, "error: unexpected argument '--frobnicate' found\n\nUsage: rg [OPTIONS] PATTERN [PATH ...]\n", C::UsageError, "`rg` does not accept the option `--frobnicate`", None),
        row("git_not_repo", "git status", 128, "fatal: not a git repository (or any of the parent directories): .git\n", C::UsageError, "Not inside a git repository (the working directory)", None),
        // ---- runtime
        row("go_panic", "go run .", 2, "panic: runtime error: index out of range [5] with length 3\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:8 +0x1d\nexit status 2\n", C::RuntimeError, "Panic: runtime error: index out of range [5] with length 3", None),
        row("shell_segfault", "./a.out", 139, "bash: line 1:  1234 Segmentation fault      (core dumped) ./a.out\n", C::RuntimeError, "Crashed with SIGSEGV", None),
        // The same signal, sent by the command line itself, is a kill from outside.
        Row { signal: Some(11), exit: None, ..row("segv_sent_by_kill", "(sleep 1; kill -SEGV $$) & exec perl -e 'sleep 30'", 0, "", C::Killed, "Killed by SIGSEGV (signal 11)", None) },
        Row { signal: Some(6), exit: None, ..row("abrt_sent_by_kill_s", "(sleep 1; kill -s ABRT $$) & exec ./server", 0, "", C::Killed, "Killed by SIGABRT (signal 6)", None) },
        // pytest's count of errors (nothing failed) gives way to the cause it printed.
        row("pytest_setup_error_refused", "python3 -m pytest -q", 1, "E               ConnectionRefusedError: [Errno 111] Connection refused\n=========================== short test summary info ============================\nERROR test_cache.py::test_roundtrip - ConnectionRefusedError: [Errno 11...\n1 error in 0.05s\n", C::Network, "Connection refused by the server", None),
        row("git_push_rejected", "git push", 1, "To https://github.com/acme/app.git\n ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to 'https://github.com/acme/app.git'\n", C::RuntimeError, "Push rejected: the remote has commits that are not in the local branch", Some("git pull --rebase")),
        row("called_process_error", "python3 build.py", 1, "Traceback (most recent call last):\n  File \"/app/build.py\", line 9, in <module>\n    subprocess.run(cmd, check=True)\nsubprocess.CalledProcessError: Command '['make', 'all']' returned non-zero exit status 2.\n", C::RuntimeError, "Unhandled subprocess.CalledProcessError at /app/build.py:9: Command '['make', 'all']' returned non-zero exit status 2.", None),
        // ---- memory
        row("rust_alloc_failed", "./app", 134, "memory allocation of 8589934592 bytes failed\n", C::OutOfMemory, "`app` ran out of memory", None),
        Row { signal: Some(9), exit: None, limit: Some("memory"), ..row("memory_limit", "python3 load.py", 0, "", C::OutOfMemory, "Memory limit reached", None) },
        // ---- disk / ports / resources
        row("pip_no_space", "pip install torch", 1, "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n", C::DiskFull, "No space left on device", None),
        row("quota", "cp big.iso /home/u/", 1, "cp: error writing '/home/u/big.iso': Disk quota exceeded\n", C::DiskFull, "Disk quota exceeded", None),
        row("node_eaddrinuse_any", "npm run dev", 1, "Error: listen EADDRINUSE: address already in use :::3000\n    at Server.setupListenHandle [as _listen2] (node:net:1817:16)\n", C::PortInUse, "Port 3000 is already in use", Some("ss -ltnp 'sport = :3000'")),
        row("vite_port", "npx vite --strictPort", 1, "error when starting dev server:\nError: Port 5173 is already in use\n", C::PortInUse, "Port 5173 is already in use", Some("ss -ltnp 'sport = :5173'")),
        row("go_bind", "./server -addr :8080", 1, "2024/01/01 12:00:00 listen tcp :8080: bind: address already in use\n", C::PortInUse, "Port 8080 is already in use", Some("ss -ltnp 'sport = :8080'")),
        row("node_emfile", "node watch.js", 1, "Error: EMFILE: too many open files, open '/app/src/a.js'\n", C::ResourceLimit, "Too many open files", None),
        row("python_thread", "python3 crawl.py", 1, "RuntimeError: can't start new thread\n", C::ResourceLimit, "Cannot create more processes or threads", None),
        row("arg_list_too_long", "rm logs/*.log", 126, "bash: /usr/bin/rm: Argument list too long\n", C::ResourceLimit, "Argument list too long", None),
        Row { signal: Some(9), exit: None, limit: Some("pids"), ..row("pids_limit", "make -j64", 0, "bash: fork: retry: Resource temporarily unavailable\n", C::ResourceLimit, "Cannot create more processes or threads", None) },
        Row { signal: Some(9), exit: None, limit: Some("output"), ..row("output_limit", "cat /dev/urandom | base64", 0, "", C::ResourceLimit, "Output limit reached", None) },
        // ---- time and signals
        Row { signal: Some(9), exit: None, timed_out: true, ..row("timed_out_flag", "sleep 999", 0, "", C::Timeout, "Wall-clock time limit reached", None) },
        row("exit_124", "./long-job.sh", 124, "", C::Timeout, "Timed out (exit code 124)", None),
        row("exit_137_silent", "java -jar app.jar", 137, "", C::Killed, "Killed by SIGKILL (signal 9)", None),
        row("shell_killed_job", "python3 train.py", 137, "bash: line 1:  4242 Killed                  python3 train.py\n", C::Killed, "Killed by SIGKILL (signal 9)", None),
        row("keyboard_interrupt", "python3 serve.py", 130, "Traceback (most recent call last):\n  File \"serve.py\", line 3, in <module>\n    time.sleep(100)\nKeyboardInterrupt\n", C::Killed, "Killed by SIGINT (signal 2)", None),
        // ---- unknown
        out(row("diff_differs", "diff a.txt b.txt", 1, "", C::Unknown, "`diff` exited 1: the inputs differ", None), "1c1\n< a\n---\n> b\n"),
        row("opaque_exit", "./tool --sync", 3, "sync: 3 items skipped\n", C::Unknown, "`tool` failed with exit code 3 and no recognisable error message", None),
    ]
}

#[test]
fn table_of_realistic_failures_is_classified_with_specifics() {
    let rows = rows();
    assert!(rows.len() >= 60, "{} rows", rows.len());
    let mut failures = Vec::new();
    for r in &rows {
        let a = analyze(&ctx(r));
        let got = (
            a.category,
            a.summary.as_str(),
            a.fixes.first().and_then(|f| f.command.as_deref()),
        );
        let want = (r.category, r.summary, r.fix);
        if got != want {
            failures.push(format!("{}:\n   got  {got:?}\n   want {want:?}", r.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn table_evidence_is_verbatim_and_capped() {
    for r in rows() {
        let a = analyze(&ctx(&r));
        assert!(a.evidence.len() <= MAX_EVIDENCE, "{}", r.name);
        for e in &a.evidence {
            let plain = input::strip_ansi(r.stderr) + &input::strip_ansi(r.stdout);
            assert!(plain.contains(e.as_str()), "{}: {e}", r.name);
        }
    }
}

fn simple(command: &str, exit: i32, stderr: &str) -> Analysis {
    analyze(&FailureContext {
        command,
        exit_code: Some(exit),
        stderr,
        ..FailureContext::default()
    })
}

#[test]
fn command_not_found_analysis_is_complete() {
    let a = simple("rg TODO src", 127, "bash: line 1: rg: command not found\n");
    assert_eq!(
        a,
        Analysis {
            category: Category::CommandNotFound,
            summary: "Command `rg` not found".to_string(),
            root_cause: "The shell found no executable named `rg` on PATH, so nothing ran: it is not installed, or it is installed in a directory that is not on PATH.".to_string(),
            confidence: 0.95,
            evidence: vec!["bash: line 1: rg: command not found".to_string()],
            fixes: vec![Fix {
                description: "Install the `ripgrep` package (Debian/Ubuntu), which provides `rg`".to_string(),
                command: Some("apt-get install -y ripgrep".to_string()),
                risk: Risk::Medium,
                policy_decision: None,
            }],
            next_steps: vec![
                "Check whether `rg` exists anywhere on PATH: `type -a rg`".to_string(),
                "Show the search path: `echo \"$PATH\"`".to_string(),
            ],
            source: Source::Heuristic,
            provider: None,
            model: None,
            latency_ms: None,
        }
    );
}

#[test]
fn port_in_use_offers_read_only_diagnosis_first() {
    let a = simple(
        "python3 -m http.server 8000",
        1,
        "OSError: [Errno 98] Address already in use\n",
    );
    let fixes: Vec<(Option<&str>, Risk)> = a
        .fixes
        .iter()
        .map(|f| (f.command.as_deref(), f.risk))
        .collect();
    assert_eq!(
        fixes,
        vec![
            (Some("ss -ltnp 'sport = :8000'"), Risk::Low),
            (Some("lsof -nP -iTCP:8000 -sTCP:LISTEN"), Risk::Low),
            (None, Risk::Low),
        ]
    );
}

#[test]
fn a_reported_limit_wins_over_patterns() {
    let ctx = |limit| {
        FailureContext {
        command: "python3 job.py",
        signal: Some(9),
        limit: Some(limit),
        stderr: "ModuleNotFoundError: No module named 'cv2'\nOSError: [Errno 28] No space left on device\n",
        ..FailureContext::default()
    }
    };
    let got: Vec<(Category, f32)> = [
        "memory",
        "wall_time",
        "pids",
        "cpu_time",
        "file_size",
        "output",
    ]
    .into_iter()
    .map(|l| {
        let a = analyze(&ctx(l));
        (a.category, a.confidence)
    })
    .collect();
    assert_eq!(
        got,
        vec![
            (Category::OutOfMemory, 0.95),
            (Category::Timeout, 0.95),
            (Category::ResourceLimit, 0.95),
            (Category::ResourceLimit, 0.95),
            (Category::ResourceLimit, 0.95),
            (Category::ResourceLimit, 0.95),
        ]
    );
}

#[test]
fn confidence_follows_the_documented_scale() {
    let cases: Vec<(FailureContext<'static>, f32)> = vec![
        // unambiguous message + consistent exit code
        (
            FailureContext {
                command: "rg x",
                exit_code: Some(127),
                stderr: "bash: rg: command not found",
                ..Default::default()
            },
            0.95,
        ),
        // unambiguous message, exit code not corroborating
        (
            FailureContext {
                command: "rg x",
                exit_code: Some(1),
                stderr: "bash: rg: command not found",
                ..Default::default()
            },
            0.85,
        ),
        // generic pattern + consistent exit code
        (
            FailureContext {
                command: "node x.js",
                exit_code: Some(1),
                stderr: "TypeError: x is not a function",
                ..Default::default()
            },
            0.7,
        ),
        // generic pattern alone
        (
            FailureContext {
                command: "node x.js",
                exit_code: Some(127),
                stderr: "TypeError: x is not a function",
                ..Default::default()
            },
            0.6,
        ),
        // convention only
        (
            FailureContext {
                command: "./a.out",
                signal: Some(11),
                ..Default::default()
            },
            0.6,
        ),
        // bare SIGKILL
        (
            FailureContext {
                command: "./a.out",
                signal: Some(9),
                ..Default::default()
            },
            0.5,
        ),
        // benign exit
        (
            FailureContext {
                command: "grep -q x f",
                exit_code: Some(1),
                ..Default::default()
            },
            0.3,
        ),
        // unknown
        (
            FailureContext {
                command: "./tool",
                exit_code: Some(3),
                stderr: "done with 2 warnings",
                ..Default::default()
            },
            0.2,
        ),
    ];
    let got: Vec<f32> = cases.iter().map(|(c, _)| analyze(c).confidence).collect();
    let want: Vec<f32> = cases.iter().map(|(_, w)| *w).collect();
    assert_eq!(got, want);
}

#[test]
fn should_analyze_only_failures() {
    let got = [
        should_analyze(Some(0), false, None),
        should_analyze(Some(1), false, None),
        should_analyze(None, false, None),
        should_analyze(Some(0), true, None),
        should_analyze(Some(0), false, Some("output")),
    ];
    assert_eq!(got, [false, true, true, true, true]);
}

#[test]
fn wire_format_uses_camel_case_and_snake_case_categories() {
    let a = simple("./x", 126, "");
    let json = serde_json::to_string(&a).unwrap();
    assert_eq!(
        json,
        concat!(
            r#"{"category":"permission_denied","summary":"`./x` is not executable","#,
            r#""rootCause":"`./x` exists but has no execute permission (or sits on a filesystem mounted noexec), so the shell refused to run it (exit code 126).","#,
            r#""confidence":0.6,"evidence":[],"#,
            r#""fixes":[{"description":"Make `./x` executable","command":"chmod +x ./x","risk":"low"}],"#,
            r#""nextSteps":["Show its permissions: `ls -l ./x`","Check the mount options (noexec): `findmnt -T ./x`"],"#,
            r#""source":"heuristic"}"#
        )
    );
    let back: Analysis = serde_json::from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn huge_output_is_capped_and_fast() {
    let mut noise = String::new();
    for i in 0..200_000 {
        noise.push_str(&format!(
            "INFO step {i} ok: processed batch with some payload\n"
        ));
    }
    noise.push_str("ModuleNotFoundError: No module named 'cv2'\n");
    // The catalog is parsed and checked once per process; that is not what this measures.
    let _ = analyze(&FailureContext {
        stderr: "error: x",
        ..Default::default()
    });
    let start = std::time::Instant::now();
    let a = analyze(&FailureContext {
        command: "python3 run.py",
        exit_code: Some(1),
        stderr: &noise,
        stdout: &noise,
        ..Default::default()
    });
    let elapsed = start.elapsed();
    assert_eq!(
        (a.category, a.summary.as_str()),
        (
            Category::MissingDependency,
            "Python module `cv2` is not installed"
        )
    );
    // 2 x 11 MB of output: the caps keep even an unoptimised build on a busy shared machine
    // far below a second (a release build takes about 13 ms for this worst case).
    assert!(elapsed < std::time::Duration::from_secs(1), "{elapsed:?}");
}

#[test]
fn long_lines_and_multibyte_text_never_panic_and_stay_capped() {
    let long = format!("error: {}: Permission denied", "é".repeat(5000));
    let odd_inputs = [
        long.as_str(),
        "\u{1b}[31m\u{1b}]8;;http://x\u{7}link\u{1b}]8;;\u{7}\u{1b}",
        "é\r\né\rü: command not found",
        "::::\n'''\n\"\n`\n‘’\n: : :\n",
        "\u{0}\u{1}\u{2}",
        "port: 99999999999999999999\nAddress already in use",
        "Cannot find module '\nfatal error: : No such file or directory",
    ];
    for s in odd_inputs {
        for exit in [Some(1), Some(127), Some(126), Some(255), None] {
            let a = analyze(&FailureContext {
                command: s,
                exit_code: exit,
                stderr: s,
                stdout: s,
                ..Default::default()
            });
            assert!(
                a.evidence.iter().all(|e| e.len() <= MAX_EVIDENCE_LINE),
                "{s:?}"
            );
            assert!(a.summary.len() <= 300, "{s:?}");
        }
    }
}

#[test]
fn tail_keeps_whole_lines_within_the_cap() {
    let text = "first line\nsecond line\nthird line\n";
    assert_eq!(input::tail(text, 15), "third line\n");
    assert_eq!(input::tail("ééé", 3), "é");
    assert_eq!(input::cut("ééé", 3), "é");
}

#[test]
fn the_program_is_the_last_command_of_a_chain() {
    let got: Vec<Option<&str>> = [
        "ulimit -v 1000; ./big",
        "cd /srv && FOO=1 sudo -E make install",
        "cat x | grep 'a|b'",
        "timeout -s KILL 5 python3 x.py",
        "echo 'a; b'",
        "",
    ]
    .into_iter()
    .map(text::main_program)
    .collect();
    assert_eq!(
        got,
        [
            Some("./big"),
            Some("make"),
            Some("grep"),
            Some("python3"),
            Some("echo"),
            None
        ]
    );
}

#[test]
fn ports_are_found_in_messages_and_commands() {
    let got = [
        text::find_port("Error: listen EADDRINUSE: address already in use :::3000"),
        text::find_port("listen tcp 127.0.0.1:8080: bind: address already in use"),
        text::find_port("unable to allocate any listen sockets on port 9418"),
        text::command_port("python3 -m http.server 8000 --bind 127.0.0.1"),
        text::command_port("uvicorn app:app --port=5001"),
        text::command_port("python3 -c \"s.bind(('0.0.0.0', 6006))\""),
        text::command_port("ls -la"),
    ];
    assert_eq!(
        got,
        [
            Some(3000),
            Some(8080),
            Some(9418),
            Some(8000),
            Some(5001),
            Some(6006),
            None
        ]
    );
}

#[test]
fn pypi_and_apt_tables_map_common_names() {
    let got = [
        tables::pypi_package("cv2"),
        tables::pypi_package("PIL"),
        tables::pypi_package("sklearn.linear_model"),
        tables::pypi_package("requests"),
        tables::apt_for_command("fd"),
        tables::apt_for_command("pip"),
        tables::apt_for_header("boost/asio.hpp"),
        tables::apt_for_lib("boost_system"),
    ];
    assert_eq!(
        got,
        [
            Some("opencv-python"),
            Some("Pillow"),
            Some("scikit-learn"),
            None,
            Some("fd-find"),
            Some("python3-pip"),
            Some("libboost-all-dev"),
            Some("libboost-all-dev"),
        ]
    );
}

fn llm(category: Category, confidence: f32, evidence: &[&str]) -> Analysis {
    Analysis {
        category,
        summary: "LLM summary".to_string(),
        root_cause: "LLM root cause".to_string(),
        confidence,
        evidence: evidence.iter().map(|s| s.to_string()).collect(),
        fixes: vec![Fix {
            description: "LLM fix".to_string(),
            command: Some("pip install opencv-python-headless".to_string()),
            risk: Risk::Medium,
            policy_decision: None,
        }],
        next_steps: vec!["LLM step".to_string()],
        source: Source::Llm,
        provider: Some("ollama".to_string()),
        model: Some("qwen2.5".to_string()),
        latency_ms: Some(850),
    }
}

const CV2: &str = "Traceback (most recent call last):\n  File \"a.py\", line 1, in <module>\nModuleNotFoundError: No module named 'cv2'\n";

fn cv2_ctx() -> FailureContext<'static> {
    FailureContext {
        command: "python3 a.py",
        exit_code: Some(1),
        stderr: CV2,
        ..Default::default()
    }
}

#[test]
fn merge_of_agreeing_analyses_keeps_verified_evidence_and_both_fixes() {
    let ctx = cv2_ctx();
    let h = analyze(&ctx);
    let m = merge(
        &ctx,
        h.clone(),
        llm(
            Category::MissingDependency,
            0.9,
            &[
                "ModuleNotFoundError: No module named 'cv2'",
                "a line the model invented",
            ],
        ),
    );
    let fixes: Vec<Option<&str>> = m.fixes.iter().map(|f| f.command.as_deref()).collect();
    assert_eq!(
        (
            m.category,
            m.summary.as_str(),
            m.confidence,
            m.source,
            m.provider.as_deref(),
            m.latency_ms
        ),
        (
            Category::MissingDependency,
            "LLM summary",
            0.95,
            Source::Combined,
            Some("ollama"),
            Some(850)
        )
    );
    assert_eq!(m.evidence, h.evidence);
    assert_eq!(
        fixes,
        [
            Some("python3 -m pip install opencv-python"),
            Some("pip install opencv-python-headless")
        ]
    );
}

#[test]
fn merge_keeps_a_sure_heuristic_when_the_llm_disagrees() {
    let ctx = cv2_ctx();
    let h = analyze(&ctx);
    let m = merge(&ctx, h.clone(), llm(Category::Network, 0.99, &[]));
    assert_eq!(
        (m.category, m.summary, m.confidence, m.fixes, m.source),
        (
            h.category,
            h.summary,
            h.confidence,
            h.fixes,
            Source::Combined
        )
    );
}

#[test]
fn merge_prefers_the_llm_over_an_unsure_heuristic_but_caps_its_confidence() {
    let ctx = FailureContext {
        command: "./tool",
        exit_code: Some(3),
        stderr: "sync: stale lease on shard 4",
        ..Default::default()
    };
    let h = analyze(&ctx);
    let m = merge(
        &ctx,
        h,
        llm(
            Category::RuntimeError,
            0.97,
            &["sync: stale lease on shard 4"],
        ),
    );
    assert_eq!(
        (m.category, m.summary.as_str(), m.confidence, m.evidence),
        (
            Category::RuntimeError,
            "LLM summary",
            0.85,
            vec!["sync: stale lease on shard 4".to_string()]
        )
    );
}

#[test]
fn an_eperm_from_what_the_seccomp_filter_refuses_names_the_box_only_when_sandboxed() {
    let cases = [
        (
            "unshare -r true",
            "unshare: unshare failed: Operation not permitted\n",
            "unshare",
        ),
        (
            "sudo swapon /swapfile",
            "swapon: /swapfile: swapon failed: Operation not permitted\n",
            "swapon",
        ),
        (
            "dmesg",
            "dmesg: read kernel buffer failed: Operation not permitted\n",
            "syslog",
        ),
    ];
    for (command, stderr, op) in cases {
        let mut ctx = FailureContext {
            command,
            exit_code: Some(1),
            stderr,
            sandboxed: true,
            ..Default::default()
        };
        let a = analyze(&ctx);
        assert_eq!(a.category, Category::PermissionDenied, "{command}: {a:?}");
        assert_eq!(
            a.summary,
            format!("The sandbox refused `{op}`"),
            "{command}"
        );
        assert!(a.root_cause.contains("seccomp"), "{}", a.root_cause);
        // The same words from a command that ran outside the box are a missing privilege.
        ctx.sandboxed = false;
        let plain = analyze(&ctx);
        assert_eq!(plain.category, Category::PermissionDenied);
        assert!(
            !plain.root_cause.contains("seccomp"),
            "{}",
            plain.root_cause
        );
    }
    // An EPERM that has nothing to do with the filter keeps its ordinary wording.
    let chown = analyze(&FailureContext {
        command: "chown root x",
        exit_code: Some(1),
        stderr: "chown: changing ownership of 'x': Operation not permitted\n",
        sandboxed: true,
        ..Default::default()
    });
    assert!(
        !chown.root_cause.contains("seccomp"),
        "{}",
        chown.root_cause
    );
}
