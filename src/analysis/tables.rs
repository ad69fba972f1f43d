//! Name tables: which package provides a Python import, a command, a C header, a linker
//! library or a pkg-config module (Debian/Ubuntu package names), and well-known commands
//! for typo suggestions.

/// Python import name → PyPI distribution, where they differ.
const PYPI: &[(&str, &str)] = &[
    ("cv2", "opencv-python"),
    ("yaml", "PyYAML"),
    ("PIL", "Pillow"),
    ("sklearn", "scikit-learn"),
    ("skimage", "scikit-image"),
    ("bs4", "beautifulsoup4"),
    ("dateutil", "python-dateutil"),
    ("dotenv", "python-dotenv"),
    ("jwt", "PyJWT"),
    ("Crypto", "pycryptodome"),
    ("Cryptodome", "pycryptodomex"),
    ("OpenSSL", "pyOpenSSL"),
    ("magic", "python-magic"),
    ("docx", "python-docx"),
    ("pptx", "python-pptx"),
    ("serial", "pyserial"),
    ("usb", "pyusb"),
    ("gi", "PyGObject"),
    ("attr", "attrs"),
    ("google.protobuf", "protobuf"),
    ("MySQLdb", "mysqlclient"),
    ("psycopg2", "psycopg2-binary"),
    ("fitz", "PyMuPDF"),
    ("zmq", "pyzmq"),
    ("jose", "python-jose"),
    ("multipart", "python-multipart"),
    ("telegram", "python-telegram-bot"),
    ("slugify", "python-slugify"),
    ("ldap", "python-ldap"),
    ("cairo", "pycairo"),
    ("wx", "wxPython"),
    ("kafka", "kafka-python"),
    ("git", "GitPython"),
    ("github", "PyGithub"),
    ("socks", "PySocks"),
    ("nacl", "PyNaCl"),
    ("mpl_toolkits", "matplotlib"),
    ("pkg_resources", "setuptools"),
    ("faiss", "faiss-cpu"),
    ("memcache", "python-memcached"),
    ("win32api", "pywin32"),
    ("win32con", "pywin32"),
    ("Levenshtein", "python-Levenshtein"),
    ("sentence_transformers", "sentence-transformers"),
    ("google.generativeai", "google-generativeai"),
    ("googleapiclient", "google-api-python-client"),
    ("speech_recognition", "SpeechRecognition"),
    ("tflite_runtime", "tflite-runtime"),
    ("lxml", "lxml"),
    ("Bio", "biopython"),
    ("ruamel", "ruamel.yaml"),
    ("markdown", "Markdown"),
    ("flask_cors", "Flask-Cors"),
    ("flask_sqlalchemy", "Flask-SQLAlchemy"),
    ("discord", "discord.py"),
    ("pydantic_settings", "pydantic-settings"),
    ("typing_extensions", "typing-extensions"),
];

/// The PyPI distribution that provides `module` (dotted names are tried whole, then by
/// their top-level package); `None` when the import name is the package name.
pub(super) fn pypi_package(module: &str) -> Option<&'static str> {
    let top = module.split('.').next().unwrap_or(module);
    PYPI.iter()
        .find(|(m, _)| *m == module)
        .or_else(|| PYPI.iter().find(|(m, _)| *m == top))
        .map(|(_, p)| *p)
}

/// Command → Debian/Ubuntu package that installs it.
const APT_COMMANDS: &[(&str, &str)] = &[
    ("rg", "ripgrep"),
    ("fd", "fd-find"),
    ("fdfind", "fd-find"),
    ("jq", "jq"),
    ("yq", "yq"),
    ("gcc", "build-essential"),
    ("g++", "build-essential"),
    ("cc", "build-essential"),
    ("c++", "build-essential"),
    ("make", "make"),
    ("python", "python-is-python3"),
    ("python3", "python3"),
    ("pip", "python3-pip"),
    ("pip3", "python3-pip"),
    ("convert", "imagemagick"),
    ("identify", "imagemagick"),
    ("magick", "imagemagick"),
    ("ag", "silversearcher-ag"),
    ("bat", "bat"),
    ("batcat", "bat"),
    ("http", "httpie"),
    ("node", "nodejs"),
    ("nodejs", "nodejs"),
    ("npm", "npm"),
    ("npx", "npm"),
    ("git", "git"),
    ("curl", "curl"),
    ("wget", "wget"),
    ("unzip", "unzip"),
    ("zip", "zip"),
    ("tree", "tree"),
    ("htop", "htop"),
    ("ps", "procps"),
    ("pgrep", "procps"),
    ("pkill", "procps"),
    ("free", "procps"),
    ("watch", "procps"),
    ("ip", "iproute2"),
    ("ss", "iproute2"),
    ("ifconfig", "net-tools"),
    ("netstat", "net-tools"),
    ("ping", "iputils-ping"),
    ("dig", "dnsutils"),
    ("nslookup", "dnsutils"),
    ("nc", "netcat-openbsd"),
    ("telnet", "telnet"),
    ("ssh", "openssh-client"),
    ("scp", "openssh-client"),
    ("rsync", "rsync"),
    ("vim", "vim"),
    ("nano", "nano"),
    ("less", "less"),
    ("file", "file"),
    ("gpg", "gnupg"),
    ("sqlite3", "sqlite3"),
    ("psql", "postgresql-client"),
    ("pg_dump", "postgresql-client"),
    ("mysql", "default-mysql-client"),
    ("redis-cli", "redis-tools"),
    ("ffmpeg", "ffmpeg"),
    ("ffprobe", "ffmpeg"),
    ("pdftotext", "poppler-utils"),
    ("pandoc", "pandoc"),
    ("shellcheck", "shellcheck"),
    ("cmake", "cmake"),
    ("pkg-config", "pkg-config"),
    ("autoconf", "autoconf"),
    ("javac", "default-jdk"),
    ("java", "default-jre"),
    ("mvn", "maven"),
    ("gradle", "gradle"),
    ("go", "golang-go"),
    ("ruby", "ruby"),
    ("gem", "ruby"),
    ("perl", "perl"),
    ("php", "php-cli"),
    ("lua", "lua5.4"),
    ("xz", "xz-utils"),
    ("bzip2", "bzip2"),
    ("7z", "p7zip-full"),
    ("strace", "strace"),
    ("gdb", "gdb"),
    ("valgrind", "valgrind"),
    ("lsof", "lsof"),
    ("envsubst", "gettext-base"),
    ("sponge", "moreutils"),
    ("parallel", "parallel"),
    ("xmllint", "libxml2-utils"),
    ("protoc", "protobuf-compiler"),
    ("clang", "clang"),
    ("ninja", "ninja-build"),
    ("docker", "docker.io"),
    ("tmux", "tmux"),
    ("bc", "bc"),
    ("dos2unix", "dos2unix"),
    ("killall", "psmisc"),
    ("fuser", "psmisc"),
    ("pstree", "psmisc"),
    ("xxd", "xxd"),
    ("patch", "patch"),
    ("gawk", "gawk"),
    ("traceroute", "traceroute"),
    ("whois", "whois"),
    ("inotifywait", "inotify-tools"),
    ("entr", "entr"),
    ("socat", "socat"),
    ("sshpass", "sshpass"),
    ("zstd", "zstd"),
    ("openssl", "openssl"),
    ("tesseract", "tesseract-ocr"),
    ("gh", "gh"),
];

/// The Debian/Ubuntu package that installs `command`.
pub(super) fn apt_for_command(command: &str) -> Option<&'static str> {
    APT_COMMANDS
        .iter()
        .find(|(c, _)| *c == command)
        .map(|(_, p)| *p)
}

/// C/C++ header → development package.
const HEADERS: &[(&str, &str)] = &[
    ("curl/curl.h", "libcurl4-openssl-dev"),
    ("openssl/ssl.h", "libssl-dev"),
    ("openssl/", "libssl-dev"),
    ("zlib.h", "zlib1g-dev"),
    ("yaml.h", "libyaml-dev"),
    ("sqlite3.h", "libsqlite3-dev"),
    ("png.h", "libpng-dev"),
    ("jpeglib.h", "libjpeg-dev"),
    ("ffi.h", "libffi-dev"),
    ("Python.h", "python3-dev"),
    ("gmp.h", "libgmp-dev"),
    ("readline/readline.h", "libreadline-dev"),
    ("pcre.h", "libpcre3-dev"),
    ("pcre2.h", "libpcre2-dev"),
    ("uuid/uuid.h", "uuid-dev"),
    ("libpq-fe.h", "libpq-dev"),
    ("postgresql/libpq-fe.h", "libpq-dev"),
    ("mysql.h", "default-libmysqlclient-dev"),
    ("mysql/mysql.h", "default-libmysqlclient-dev"),
    ("ncurses.h", "libncurses-dev"),
    ("curses.h", "libncurses-dev"),
    ("bzlib.h", "libbz2-dev"),
    ("lzma.h", "liblzma-dev"),
    ("zstd.h", "libzstd-dev"),
    ("lz4.h", "liblz4-dev"),
    ("boost/", "libboost-all-dev"),
    ("gtest/gtest.h", "libgtest-dev"),
    ("gmock/gmock.h", "libgmock-dev"),
    ("X11/", "libx11-dev"),
    ("SDL2/", "libsdl2-dev"),
    ("SDL.h", "libsdl2-dev"),
    ("GL/gl.h", "libgl-dev"),
    ("GL/glu.h", "libglu1-mesa-dev"),
    ("GLFW/glfw3.h", "libglfw3-dev"),
    ("libxml/", "libxml2-dev"),
    ("expat.h", "libexpat1-dev"),
    ("event2/", "libevent-dev"),
    ("zmq.h", "libzmq3-dev"),
    ("hiredis/hiredis.h", "libhiredis-dev"),
    ("archive.h", "libarchive-dev"),
    ("sys/capability.h", "libcap-dev"),
    ("seccomp.h", "libseccomp-dev"),
    ("systemd/", "libsystemd-dev"),
    ("libudev.h", "libudev-dev"),
    ("libusb-1.0/libusb.h", "libusb-1.0-0-dev"),
    ("dbus/dbus.h", "libdbus-1-dev"),
    ("glib.h", "libglib2.0-dev"),
    ("gtk/gtk.h", "libgtk-3-dev"),
    ("fmt/", "libfmt-dev"),
    ("spdlog/", "libspdlog-dev"),
    ("google/protobuf/", "libprotobuf-dev"),
    ("libelf.h", "libelf-dev"),
    ("gelf.h", "libelf-dev"),
    ("bpf/", "libbpf-dev"),
    ("alsa/asoundlib.h", "libasound2-dev"),
    ("tiffio.h", "libtiff-dev"),
    ("webp/", "libwebp-dev"),
    ("ft2build.h", "libfreetype-dev"),
    ("fontconfig/", "libfontconfig-dev"),
    ("jansson.h", "libjansson-dev"),
    ("json-c/", "libjson-c-dev"),
    ("nlohmann/json.hpp", "nlohmann-json3-dev"),
    ("sodium.h", "libsodium-dev"),
    ("libunwind.h", "libunwind-dev"),
    ("numa.h", "libnuma-dev"),
    ("libaio.h", "libaio-dev"),
    ("gflags/", "libgflags-dev"),
    ("glog/", "libgoogle-glog-dev"),
    ("snappy.h", "libsnappy-dev"),
    ("opencv2/", "libopencv-dev"),
    ("eigen3/", "libeigen3-dev"),
    ("Eigen/", "libeigen3-dev"),
    ("tbb/", "libtbb-dev"),
    ("libavcodec/", "libavcodec-dev"),
    ("libavformat/", "libavformat-dev"),
    ("cairo.h", "libcairo2-dev"),
    ("cairo/cairo.h", "libcairo2-dev"),
    ("ldap.h", "libldap2-dev"),
    ("krb5.h", "libkrb5-dev"),
    ("gssapi/gssapi.h", "libkrb5-dev"),
    ("security/pam_appl.h", "libpam0g-dev"),
    ("pthread.h", "libc6-dev"),
    ("stdio.h", "libc6-dev"),
];

/// The development package providing header `header` (exact name, or a directory prefix).
pub(super) fn apt_for_header(header: &str) -> Option<&'static str> {
    HEADERS
        .iter()
        .find(|(h, _)| *h == header)
        .or_else(|| {
            HEADERS
                .iter()
                .find(|(h, _)| h.ends_with('/') && header.starts_with(h))
        })
        .map(|(_, p)| *p)
}

/// `-lNAME` → development package.
const LIBS: &[(&str, &str)] = &[
    ("z", "zlib1g-dev"),
    ("ssl", "libssl-dev"),
    ("crypto", "libssl-dev"),
    ("curl", "libcurl4-openssl-dev"),
    ("sqlite3", "libsqlite3-dev"),
    ("ffi", "libffi-dev"),
    ("yaml", "libyaml-dev"),
    ("pq", "libpq-dev"),
    ("png", "libpng-dev"),
    ("jpeg", "libjpeg-dev"),
    ("xml2", "libxml2-dev"),
    ("gtest", "libgtest-dev"),
    ("gtest_main", "libgtest-dev"),
    ("gmock", "libgmock-dev"),
    ("gmp", "libgmp-dev"),
    ("readline", "libreadline-dev"),
    ("ncurses", "libncurses-dev"),
    ("ncursesw", "libncurses-dev"),
    ("tinfo", "libncurses-dev"),
    ("bz2", "libbz2-dev"),
    ("lzma", "liblzma-dev"),
    ("zstd", "libzstd-dev"),
    ("lz4", "liblz4-dev"),
    ("uuid", "uuid-dev"),
    ("pcre", "libpcre3-dev"),
    ("pcre2-8", "libpcre2-dev"),
    ("X11", "libx11-dev"),
    ("GL", "libgl-dev"),
    ("GLU", "libglu1-mesa-dev"),
    ("glfw", "libglfw3-dev"),
    ("SDL2", "libsdl2-dev"),
    ("event", "libevent-dev"),
    ("zmq", "libzmq3-dev"),
    ("hiredis", "libhiredis-dev"),
    ("mysqlclient", "default-libmysqlclient-dev"),
    ("archive", "libarchive-dev"),
    ("cap", "libcap-dev"),
    ("seccomp", "libseccomp-dev"),
    ("systemd", "libsystemd-dev"),
    ("udev", "libudev-dev"),
    ("usb-1.0", "libusb-1.0-0-dev"),
    ("dbus-1", "libdbus-1-dev"),
    ("glib-2.0", "libglib2.0-dev"),
    ("fmt", "libfmt-dev"),
    ("spdlog", "libspdlog-dev"),
    ("protobuf", "libprotobuf-dev"),
    ("elf", "libelf-dev"),
    ("bpf", "libbpf-dev"),
    ("asound", "libasound2-dev"),
    ("tiff", "libtiff-dev"),
    ("webp", "libwebp-dev"),
    ("freetype", "libfreetype-dev"),
    ("fontconfig", "libfontconfig-dev"),
    ("expat", "libexpat1-dev"),
    ("jansson", "libjansson-dev"),
    ("json-c", "libjson-c-dev"),
    ("sodium", "libsodium-dev"),
    ("unwind", "libunwind-dev"),
    ("numa", "libnuma-dev"),
    ("aio", "libaio-dev"),
    ("gflags", "libgflags-dev"),
    ("glog", "libgoogle-glog-dev"),
    ("snappy", "libsnappy-dev"),
    ("bsd", "libbsd-dev"),
    ("pthread", "libc6-dev"),
    ("m", "libc6-dev"),
    ("dl", "libc6-dev"),
    ("rt", "libc6-dev"),
    ("stdc++", "libstdc++-dev"),
    ("opencv_core", "libopencv-dev"),
    ("tbb", "libtbb-dev"),
    ("ldap", "libldap2-dev"),
    ("pam", "libpam0g-dev"),
    ("krb5", "libkrb5-dev"),
];

/// The development package providing `-l<lib>`.
pub(super) fn apt_for_lib(lib: &str) -> Option<&'static str> {
    if lib.starts_with("boost_") {
        return Some("libboost-all-dev");
    }
    LIBS.iter().find(|(l, _)| *l == lib).map(|(_, p)| *p)
}

/// pkg-config module → development package.
const PKG_CONFIG: &[(&str, &str)] = &[
    ("gtk4", "libgtk-4-dev"),
    ("gtk+-3.0", "libgtk-3-dev"),
    ("openssl", "libssl-dev"),
    ("libssl", "libssl-dev"),
    ("libcrypto", "libssl-dev"),
    ("libcurl", "libcurl4-openssl-dev"),
    ("zlib", "zlib1g-dev"),
    ("sqlite3", "libsqlite3-dev"),
    ("glib-2.0", "libglib2.0-dev"),
    ("gobject-2.0", "libglib2.0-dev"),
    ("gio-2.0", "libglib2.0-dev"),
    ("libffi", "libffi-dev"),
    ("libpq", "libpq-dev"),
    ("x11", "libx11-dev"),
    ("alsa", "libasound2-dev"),
    ("libudev", "libudev-dev"),
    ("dbus-1", "libdbus-1-dev"),
    ("libsystemd", "libsystemd-dev"),
    ("fontconfig", "libfontconfig-dev"),
    ("freetype2", "libfreetype-dev"),
    ("libpng", "libpng-dev"),
    ("libxml-2.0", "libxml2-dev"),
    ("yaml-0.1", "libyaml-dev"),
    ("opencv4", "libopencv-dev"),
    ("libusb-1.0", "libusb-1.0-0-dev"),
    ("libzmq", "libzmq3-dev"),
    ("cairo", "libcairo2-dev"),
    ("pango", "libpango1.0-dev"),
    ("libseccomp", "libseccomp-dev"),
    ("libcap", "libcap-dev"),
    ("wayland-client", "libwayland-dev"),
    ("xkbcommon", "libxkbcommon-dev"),
    ("libavcodec", "libavcodec-dev"),
    ("sdl2", "libsdl2-dev"),
    ("libsodium", "libsodium-dev"),
    ("libzstd", "libzstd-dev"),
    ("liblzma", "liblzma-dev"),
    ("libarchive", "libarchive-dev"),
    ("libelf", "libelf-dev"),
    ("protobuf", "libprotobuf-dev"),
    ("python3", "python3-dev"),
    ("libuv", "libuv1-dev"),
    ("gstreamer-1.0", "libgstreamer1.0-dev"),
    ("webkit2gtk-4.1", "libwebkit2gtk-4.1-dev"),
    ("javascriptcoregtk-4.1", "libjavascriptcoregtk-4.1-dev"),
    ("libsoup-3.0", "libsoup-3.0-dev"),
    ("ayatana-appindicator3-0.1", "libayatana-appindicator3-dev"),
    ("librsvg-2.0", "librsvg2-dev"),
    ("hidapi-hidraw", "libhidapi-dev"),
];

/// The development package providing pkg-config module `module`.
pub(super) fn apt_for_pkg_config(module: &str) -> Option<&'static str> {
    PKG_CONFIG
        .iter()
        .find(|(m, _)| *m == module)
        .map(|(_, p)| *p)
}

/// Commands people often mistype; a not-found name one edit away from one of these is
/// suggested as a typo.
pub(super) const KNOWN_COMMANDS: &[&str] = &[
    "git",
    "ls",
    "cd",
    "cat",
    "grep",
    "python3",
    "python",
    "pip",
    "pip3",
    "node",
    "npm",
    "npx",
    "cargo",
    "make",
    "docker",
    "kubectl",
    "curl",
    "wget",
    "ssh",
    "sudo",
    "echo",
    "mkdir",
    "cp",
    "mv",
    "find",
    "sed",
    "awk",
    "tar",
    "unzip",
    "chmod",
    "chown",
    "vim",
    "less",
    "head",
    "tail",
    "sort",
    "uniq",
    "diff",
    "java",
    "javac",
    "mvn",
    "gradle",
    "rustc",
    "gcc",
    "clang",
    "cmake",
    "psql",
    "sqlite3",
    "pytest",
    "yarn",
    "pnpm",
    "systemctl",
    "journalctl",
    "kill",
    "which",
    "touch",
    "go",
    "terraform",
    "helm",
    "deno",
    "bun",
    "rustup",
    "poetry",
    "uv",
];

/// What a source location's file is, by its extension: it decides whether a parse error
/// there is the compiler rejecting code or a script or configuration that does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FileKind {
    /// Source of a compiled or type-checked language (a parse error is a compile error).
    Compiled,
    /// Source run by an interpreter or a shell.
    Script,
    /// Configuration or data read by a program.
    Config,
    /// No extension, or one not listed here.
    Other,
}

const COMPILED: &[&str] = &[
    "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "m", "mm", "rs", "go", "java", "kt", "scala", "cs",
    "fs", "swift", "f", "f77", "f90", "f95", "f03", "for", "pas", "pp", "lpr", "adb", "ads", "hs",
    "lhs", "ml", "mli", "proto", "asm", "s", "nasm", "ts", "tsx", "mts", "cts", "zig", "d", "nim",
    "cr", "dart", "cu", "sol", "v", "sv", "vhd", "erl", "ex", "elm", "purs",
];
const SCRIPTS: &[&str] = &[
    "sh", "bash", "zsh", "ksh", "fish", "py", "pyw", "pl", "pm", "t", "rb", "r", "lua", "php",
    "tcl", "exp", "js", "mjs", "cjs", "jsx", "lisp", "lsp", "cl", "scm", "ss", "rkt", "el", "clj",
    "groovy", "awk", "sed", "ps1", "exs", "jl", "raku", "vim",
];
const CONFIGS: &[&str] = &[
    "json",
    "jsonc",
    "json5",
    "yaml",
    "yml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "cnf",
    "nft",
    "xml",
    "properties",
    "env",
    "lock",
    "plist",
    "rules",
    "service",
    "desktop",
    "editorconfig",
    "cron",
    "crontab",
    "dot",
    "gv",
    "csv",
    "tsv",
];

/// The kind of the file a location such as `src/a.c:3:1`, `app.ts(4,2)` or `x.yml` names.
pub(super) fn file_kind(location: &str) -> FileKind {
    let file = location
        .split([':', '('])
        .next()
        .unwrap_or(location)
        .trim_matches(|c: char| c == '"' || c == '\'' || c == '`');
    let name = file.rsplit('/').next().unwrap_or(file);
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return FileKind::Other;
    };
    if stem.is_empty() {
        return FileKind::Config;
    }
    let ext = ext.to_ascii_lowercase();
    let listed = |table: &[&str]| table.contains(&ext.as_str());
    if listed(COMPILED) {
        FileKind::Compiled
    } else if listed(SCRIPTS) {
        FileKind::Script
    } else if listed(CONFIGS) {
        FileKind::Config
    } else {
        FileKind::Other
    }
}
