#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Pure parsing/planning tables, fake v1/v2 trees, and real-kernel tests with real children.
//! Kernel tests skip with a printed reason when the host cannot run them, unless
//! `SHELLWISE_REQUIRE_CGROUPS=1`.

use super::cgroup::{
    keyed_value, plan_limit_writes, read_report, Controller, GroupDirs, Kind, LimitWrite,
};
use super::detect::{only_ours, prepare_v2_base, RunOwner};
use super::*;

use std::fs;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

// Kernel tests count fds and CPU time, so they run one at a time.
static LOCK: Mutex<()> = Mutex::new(());

fn lock() -> MutexGuard<'static, ()> {
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

fn require() -> bool {
    std::env::var("SHELLWISE_REQUIRE_CGROUPS").as_deref() == Ok("1")
}

fn skip(test: &str, reason: &str) {
    assert!(!require(), "{test}: cannot run: {reason}");
    println!("SKIP {test}: {reason}");
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// A manager on this host, or None (after printing why) when cgroups cannot be used.
fn manager(test: &str, pool: usize) -> Option<CgroupManager> {
    if !is_root() {
        skip(test, "not root");
        return None;
    }
    match detect() {
        CgroupMode::Unavailable { reason } => {
            skip(test, &format!("cgroups unavailable: {reason}"));
            None
        }
        mode => Some(CgroupManager::with_pool_size(mode, pool)),
    }
}

fn command(argv: &[&str], pre: PreExec) -> Command {
    let mut cmd = Command::new(argv[0]);
    cmd.args(&argv[1..])
        .process_group(0)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    // SAFETY: PreExec::run only issues async-signal-safe syscalls.
    unsafe {
        cmd.pre_exec(move || pre.run_unshared());
    }
    cmd
}

fn output(argv: &[&str], pre: PreExec) -> (ExitStatus, String) {
    let out = command(argv, pre).output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn wait_timeout(child: &mut Child, limit: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return Some(s);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn limits() -> Limits {
    Limits::default()
}

fn plan(limits: Limits) -> ChildPlan {
    ChildPlan {
        limits,
        ..ChildPlan::default()
    }
}

fn mode_dirs(mode: &CgroupMode) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match mode {
        CgroupMode::V2 { base } => vec![base.clone()],
        CgroupMode::V1 {
            memory,
            pids,
            cpu,
            cpuacct,
            freezer,
        } => [
            Some(memory),
            Some(pids),
            Some(cpu),
            Some(cpuacct),
            freezer.as_ref(),
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect(),
        CgroupMode::Unavailable { .. } => vec![],
    };
    v.dedup();
    v
}

fn count_fds() -> usize {
    fs::read_dir("/proc/self/fd").unwrap().count()
}

fn subdirs(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_type().unwrap().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

// ---------------------------------------------------------------- pure: parsing

const HOST_MOUNTINFO: &str = "\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
";

const HOST_CGROUP: &str = "\
9:name=systemd:/
8:pids:/
6:freezer:/
4:memory:/process_api/a9b5
2:cpuacct:/
1:cpu:/
0::/
";

#[test]
fn mountinfo_lines_parse_into_root_mount_point_type_and_options() {
    let text = "\
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory
29 1 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
50 40 0:40 /docker/abc /mnt/my\\040cg ro - cgroup cgroup rw,cpu,cpuacct
garbage line
";
    assert_eq!(
        parse_mountinfo(text),
        vec![
            MountEntry {
                root: "/".into(),
                mount_point: "/sys/fs/cgroup/memory".into(),
                fstype: "cgroup".into(),
                super_options: vec!["rw".into(), "memory".into()],
            },
            MountEntry {
                root: "/".into(),
                mount_point: "/sys/fs/cgroup".into(),
                fstype: "cgroup2".into(),
                super_options: vec![
                    "rw".into(),
                    "nsdelegate".into(),
                    "memory_recursiveprot".into()
                ],
            },
            MountEntry {
                root: "/docker/abc".into(),
                mount_point: "/mnt/my cg".into(),
                fstype: "cgroup".into(),
                super_options: vec!["rw".into(), "cpu".into(), "cpuacct".into()],
            },
        ]
    );
}

#[test]
fn proc_cgroup_lines_parse_including_colons_in_paths() {
    assert_eq!(
        parse_proc_cgroup("4:memory:/a:b\n2:cpu,cpuacct:/\n0::/system.slice/x.service\nbad\n"),
        vec![
            ProcCgroup {
                hierarchy_id: 4,
                controllers: vec!["memory".into()],
                path: "/a:b".into()
            },
            ProcCgroup {
                hierarchy_id: 2,
                controllers: vec!["cpu".into(), "cpuacct".into()],
                path: "/".into()
            },
            ProcCgroup {
                hierarchy_id: 0,
                controllers: vec![],
                path: "/system.slice/x.service".into()
            },
        ]
    );
}

#[test]
fn own_cgroup_dirs_resolve_for_hybrid_v2_comounted_and_container_roots() {
    let mounts = parse_mountinfo(HOST_MOUNTINFO);
    let cg = parse_proc_cgroup(HOST_CGROUP);
    let r = |c| resolve_cgroup_dir(&mounts, &cg, c);
    assert_eq!(
        [
            r(Some("memory")),
            r(Some("pids")),
            r(Some("cpu")),
            r(Some("blkio")),
            r(None)
        ],
        [
            Some(PathBuf::from("/sys/fs/cgroup/memory/process_api/a9b5")),
            Some(PathBuf::from("/sys/fs/cgroup/pids")),
            Some(PathBuf::from("/sys/fs/cgroup/cpu")),
            None,
            Some(PathBuf::from("/sys/fs/cgroup/unified")),
        ]
    );

    // Pure v2 under systemd, co-mounted v1 and a container whose mount root is its own cgroup.
    let cases: [(&str, &str, Option<&str>, Option<&str>); 4] = [
        (
            "29 1 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw,nsdelegate\n",
            "0::/system.slice/shellwise.service\n",
            None,
            Some("/sys/fs/cgroup/system.slice/shellwise.service"),
        ),
        (
            "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n",
            "3:cpu,cpuacct:/user.slice\n",
            Some("cpuacct"),
            Some("/sys/fs/cgroup/cpu,cpuacct/user.slice"),
        ),
        (
            "40 31 0:32 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n",
            "4:memory:/docker/abc\n",
            Some("memory"),
            Some("/sys/fs/cgroup/memory"),
        ),
        (
            "40 31 0:32 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n",
            "4:memory:/docker/abcdef\n",
            Some("memory"),
            None,
        ),
    ];
    for (mi, pc, controller, want) in cases {
        assert_eq!(
            resolve_cgroup_dir(&parse_mountinfo(mi), &parse_proc_cgroup(pc), controller),
            want.map(PathBuf::from),
            "{mi} {pc}"
        );
    }
}

#[test]
fn keyed_values_come_from_flat_keyed_files() {
    let events = "low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n";
    let cases = [
        (events, "oom_kill", Some(1)),
        (events, "max", Some(12)),
        (events, "oom", Some(2)),
        (events, "missing", None),
        (
            "oom_kill_disable 0\nunder_oom 0\noom_kill 3\n",
            "oom_kill",
            Some(3),
        ),
        ("max bogus\n", "max", None),
        ("", "max", None),
    ];
    for (text, key, want) in cases {
        assert_eq!(keyed_value(text, key), want, "{key} in {text:?}");
    }
}

#[test]
fn run_directory_names_carry_an_owner_a_pid_namespace_cannot_fake() {
    let o = |pid, start, pid_ns| RunOwner { pid, start, pid_ns };
    let cases = [
        (
            "shellwise-123-0-t456-n789",
            Some(o(123, Some(456), Some(789))),
        ),
        ("shellwise-123-0", Some(o(123, None, None))),
        ("shellwise-123", Some(o(123, None, None))),
        ("shellwise-123-0-t456", None),
        ("shellwise-123-0-x456-n789", None),
        ("shellwise-server", None),
        ("shellwise-12-x", None),
        ("other-12", None),
        ("g0", None),
    ];
    for (name, want) in cases {
        assert_eq!(RunOwner::parse(name), want, "{name}");
    }
    let me = o(10, Some(5), Some(1));
    assert_eq!(RunOwner::parse(&me.dir_name(3)), Some(me), "round trip");
    // (owner, start time of its pid as we see it) -> stale?
    let table = [
        (o(20, Some(7), Some(1)), None, true),     // gone
        (o(20, Some(7), Some(1)), Some(9), true),  // pid reused by a later process
        (o(20, Some(7), Some(1)), Some(7), false), // alive
        (o(20, Some(7), Some(2)), None, false),    // another pid namespace: cannot tell
        (o(20, None, None), None, false),          // an older version's name
        (o(10, Some(5), Some(1)), None, false),    // ourselves
    ];
    for (owner, seen, want) in table {
        assert_eq!(owner.is_stale(&me, |_| seen), want, "{owner:?} {seen:?}");
    }
}

#[test]
fn describe_names_version_and_controllers_or_reason() {
    let v1 = CgroupMode::V1 {
        memory: "/m".into(),
        pids: "/p".into(),
        cpu: "/c".into(),
        cpuacct: "/c".into(),
        freezer: Some("/f".into()),
    };
    let v1_no_freezer = CgroupMode::V1 {
        memory: "/m".into(),
        pids: "/p".into(),
        cpu: "/c".into(),
        cpuacct: "/c".into(),
        freezer: None,
    };
    assert_eq!(
        [
            v1.describe(),
            v1_no_freezer.describe(),
            CgroupMode::V2 { base: "/b".into() }.describe(),
            CgroupMode::Unavailable {
                reason: "not root".into()
            }
            .describe(),
        ],
        [
            "v1 (memory,pids,cpu,cpuacct,freezer)",
            "v1 (memory,pids,cpu,cpuacct)",
            "v2 (memory,pids,cpu)",
            "unavailable (not root)",
        ]
    );
}

// ---------------------------------------------------------------- pure: limit plans

fn lw(controller: Controller, file: &'static str, value: &str, required: bool) -> LimitWrite {
    LimitWrite {
        controller,
        file,
        value: value.to_string(),
        required,
    }
}

#[test]
fn limit_writes_for_v2_use_max_files_and_forbid_swap() {
    let l = Limits {
        memory_bytes: Some(64 << 20),
        pids: Some(32),
        cpu_millis_per_sec: Some(500),
        cpu_time_secs: Some(5),
        ..limits()
    };
    assert_eq!(
        plan_limit_writes(Kind::V2, &l),
        vec![
            lw(Controller::Memory, "memory.max", "67108864", true),
            lw(Controller::Memory, "memory.swap.max", "0", false),
            lw(Controller::Pids, "pids.max", "32", true),
            lw(Controller::Cpu, "cpu.max", "50000 100000", true),
        ]
    );
}

#[test]
fn limit_writes_for_v1_set_memsw_after_memory_and_cfs_period_before_quota() {
    let l = Limits {
        memory_bytes: Some(1 << 30),
        pids: Some(100),
        cpu_millis_per_sec: Some(2000),
        ..limits()
    };
    assert_eq!(
        plan_limit_writes(Kind::V1, &l),
        vec![
            lw(
                Controller::Memory,
                "memory.limit_in_bytes",
                "1073741824",
                true
            ),
            lw(
                Controller::Memory,
                "memory.memsw.limit_in_bytes",
                "1073741824",
                false
            ),
            lw(Controller::Memory, "memory.swappiness", "0", false),
            lw(Controller::Pids, "pids.max", "100", true),
            lw(Controller::Cpu, "cpu.cfs_period_us", "100000", true),
            lw(Controller::Cpu, "cpu.cfs_quota_us", "200000", true),
        ]
    );
}

#[test]
fn limit_writes_are_empty_without_cgroup_limits_and_cpu_quota_has_a_floor() {
    let only_rlimits = Limits {
        cpu_time_secs: Some(1),
        open_files: Some(64),
        ..limits()
    };
    assert_eq!(plan_limit_writes(Kind::V1, &only_rlimits), vec![]);
    assert_eq!(plan_limit_writes(Kind::V2, &only_rlimits), vec![]);
    let tiny = Limits {
        cpu_millis_per_sec: Some(1),
        ..limits()
    };
    assert_eq!(
        plan_limit_writes(Kind::V2, &tiny),
        vec![lw(Controller::Cpu, "cpu.max", "1000 100000", true)]
    );
}

#[test]
fn a_cpu_quota_above_what_the_kernel_takes_is_written_as_its_largest() {
    // Found by schemathesis: cpuMillis 2^63 made the quota write fail (ERANGE), a 500.
    let huge = Limits {
        cpu_millis_per_sec: Some(u64::MAX / 2),
        ..limits()
    };
    assert_eq!(
        plan_limit_writes(Kind::V2, &huge),
        vec![lw(
            Controller::Cpu,
            "cpu.max",
            "17592186044415 100000",
            true
        )]
    );
    assert_eq!(
        plan_limit_writes(Kind::V1, &huge)[1],
        lw(Controller::Cpu, "cpu.cfs_quota_us", "17592186044415", true)
    );
}

// ---------------------------------------------------------------- fake trees

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "shellwise-sandbox-test-{tag}-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn same_dir(d: &Path, freezer: bool) -> GroupDirs {
    GroupDirs {
        memory: d.to_path_buf(),
        pids: d.to_path_buf(),
        cpu: d.to_path_buf(),
        cpuacct: d.to_path_buf(),
        freezer: freezer.then(|| d.to_path_buf()),
    }
}

#[test]
fn v2_report_reads_memory_events_pids_events_cpu_stat_and_peak() {
    let d = tempdir("v2report");
    fs::write(
        d.join("memory.events"),
        "low 0\nhigh 0\nmax 40\noom 1\noom_kill 1\noom_group_kill 0\n",
    )
    .unwrap();
    fs::write(d.join("pids.events"), "max 7\n").unwrap();
    fs::write(
        d.join("cpu.stat"),
        "usage_usec 1500000\nuser_usec 1200000\nsystem_usec 300000\nnr_periods 10\nnr_throttled 4\nthrottled_usec 2000\n",
    )
    .unwrap();
    fs::write(d.join("memory.peak"), "67108864\n").unwrap();
    assert_eq!(
        read_report(Kind::V2, &same_dir(&d, true)),
        CgroupReport {
            oom_killed: true,
            pids_limit_hit: true,
            user_ms: Some(1200),
            system_ms: Some(300),
            peak_memory_bytes: Some(64 << 20),
        }
    );
    // A quiet group on a kernel without memory.peak (< 5.19).
    fs::write(
        d.join("memory.events"),
        "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n",
    )
    .unwrap();
    fs::write(d.join("pids.events"), "max 0\n").unwrap();
    fs::remove_file(d.join("memory.peak")).unwrap();
    assert_eq!(
        read_report(Kind::V2, &same_dir(&d, true)),
        CgroupReport {
            oom_killed: false,
            pids_limit_hit: false,
            user_ms: Some(1200),
            system_ms: Some(300),
            peak_memory_bytes: None,
        }
    );
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn v1_report_prefers_usage_user_sys_and_falls_back_to_cpuacct_stat_ticks() {
    let d = tempdir("v1report");
    fs::write(
        d.join("memory.oom_control"),
        "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
    )
    .unwrap();
    fs::write(d.join("pids.events"), "max 0\n").unwrap();
    fs::write(d.join("cpuacct.usage_user"), "700000000\n").unwrap();
    fs::write(d.join("cpuacct.usage_sys"), "50000000\n").unwrap();
    fs::write(d.join("cpuacct.stat"), "user 1\nsystem 1\n").unwrap();
    fs::write(d.join("memory.max_usage_in_bytes"), "4096\n").unwrap();
    let dirs = same_dir(&d, false);
    assert_eq!(
        read_report(Kind::V1, &dirs),
        CgroupReport {
            oom_killed: true,
            pids_limit_hit: false,
            user_ms: Some(700),
            system_ms: Some(50),
            peak_memory_bytes: Some(4096),
        }
    );
    fs::remove_file(d.join("cpuacct.usage_user")).unwrap();
    fs::remove_file(d.join("cpuacct.usage_sys")).unwrap();
    fs::write(d.join("cpuacct.stat"), "user 250\nsystem 30\n").unwrap();
    // SAFETY: sysconf has no preconditions.
    let hz = u64::try_from(unsafe { libc::sysconf(libc::_SC_CLK_TCK) }).unwrap();
    assert_eq!(
        read_report(Kind::V1, &dirs),
        CgroupReport {
            oom_killed: true,
            pids_limit_hit: false,
            user_ms: Some(250 * 1000 / hz),
            system_ms: Some(30 * 1000 / hz),
            peak_memory_bytes: Some(4096),
        }
    );
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn v2_base_preparation_enables_controllers_in_own_and_run_directories() {
    let own = tempdir("v2base");
    fs::write(
        own.join("cgroup.controllers"),
        "cpuset cpu io memory hugetlb pids rdma misc\n",
    )
    .unwrap();
    fs::write(own.join("cgroup.subtree_control"), "").unwrap();
    // Stand-in for the kernel-created file in the new directory.
    fs::create_dir(own.join("shellwise-1-0")).unwrap();
    fs::write(own.join("shellwise-1-0/cgroup.subtree_control"), "").unwrap();
    let base = prepare_v2_base(&own, "shellwise-1-0").unwrap();
    assert_eq!(
        (
            base.clone(),
            fs::read_to_string(own.join("cgroup.subtree_control")).unwrap(),
            fs::read_to_string(base.join("cgroup.subtree_control")).unwrap(),
        ),
        (
            own.join("shellwise-1-0"),
            "+memory +pids +cpu".to_string(),
            "+memory +pids +cpu".to_string()
        )
    );
    fs::remove_dir_all(&own).unwrap();
}

#[test]
fn v2_base_preparation_names_missing_controllers() {
    let own = tempdir("v2missing");
    fs::write(own.join("cgroup.controllers"), "cpu io\n").unwrap();
    assert_eq!(
        prepare_v2_base(&own, "shellwise-1-0"),
        Err(format!(
            "controllers memory,pids not delegated to {} (has: cpu,io)",
            own.display()
        ))
    );
    fs::write(own.join("cgroup.controllers"), "\n").unwrap();
    assert_eq!(
        prepare_v2_base(&own, "shellwise-1-0"),
        Err(format!(
            "controllers memory,pids,cpu not delegated to {} (has: none)",
            own.display()
        ))
    );
    assert!(!own.join("shellwise-1-0").exists());
    fs::remove_dir_all(&own).unwrap();
}

#[test]
fn a_pid_namespace_is_a_clone_flag_and_cannot_be_unshared_later() {
    if !is_root() {
        return skip("pid_namespace", "not root");
    }
    let p = ChildPlan {
        pid_namespace: true,
        ipc_namespace: true,
        ..ChildPlan::default()
    };
    let pre = PreExec::new(&p, None).unwrap();
    let want = libc::CLONE_NEWPID | libc::CLONE_NEWNS | libc::CLONE_NEWIPC;
    assert_eq!(pre.clone_flags(), want);
    // A forked child is already in the server's pid namespace: refused before any syscall.
    let err = pre.run_unshared().unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
}

#[test]
fn seccomp_refuses_new_namespaces_and_keyrings_but_ordinary_commands_run() {
    let _g = lock();
    let p = ChildPlan {
        seccomp: Some(std::sync::Arc::new(seccomp::SeccompFilter::new(false))),
        ..ChildPlan::default()
    };
    let script = format!(
        "unshare --user true 2>/dev/null; echo unshare=$?; \
        python3 -c 'import ctypes,os; l=ctypes.CDLL(None,use_errno=True); \
        r=l.syscall({},0,0,0,0,0); print(\"keyctl\", r, ctypes.get_errno())'; \
        (echo forked) | cat; echo x > /dev/null && echo ok",
        libc::SYS_keyctl
    );
    let (status, out) = output(&["sh", "-c", &script], PreExec::new(&p, None).unwrap());
    assert!(status.success(), "{out}");
    assert_eq!(
        out,
        format!("unshare=1\nkeyctl -1 {}\nforked\nok\n", libc::EPERM)
    );
    // Without the filter the same user namespace is allowed on this host.
    let (_, free) = output(
        &[
            "sh",
            "-c",
            "unshare --user true 2>/dev/null; echo unshare=$?",
        ],
        PreExec::new(&ChildPlan::default(), None).unwrap(),
    );
    if free != "unshare=0\n" {
        eprintln!("note: this host refuses unprivileged user namespaces anyway ({free:?})");
    }
}

#[test]
fn seccomp_for_network_none_refuses_unix_sockets_only() {
    let _g = lock();
    let p = ChildPlan {
        seccomp: Some(std::sync::Arc::new(seccomp::SeccompFilter::new(true))),
        ..ChildPlan::default()
    };
    let code = "import socket\n\
        try:\n socket.socket(socket.AF_UNIX); print('unix open')\n\
        except OSError as e: print('unix', e.errno)\n\
        a, b = socket.socketpair(); print('pair ok')\n\
        socket.socket(socket.AF_INET).close(); print('inet ok')";
    let (status, out) = output(&["python3", "-c", code], PreExec::new(&p, None).unwrap());
    assert!(status.success(), "{out}");
    assert_eq!(out, format!("unix {}\npair ok\ninet ok\n", libc::EACCES));
}

#[test]
fn landlock_allows_the_system_read_only_and_only_the_named_area_writable() {
    let _g = lock();
    let Some(mut plan) = landlock::LandlockPlan::new() else {
        return skip("landlock", "this kernel has no Landlock");
    };
    let area = tempdir("landlock-area");
    let other = tempdir("landlock-other");
    std::fs::write(other.join("secret"), "theirs").unwrap();
    for p in ["/usr", "/bin", "/lib", "/lib64", "/etc"] {
        plan.allow(p, landlock::READ_ONLY, false).unwrap();
    }
    plan.allow("/dev/null", landlock::READ_WRITE, false)
        .unwrap();
    plan.allow(&area.display().to_string(), landlock::READ_WRITE, false)
        .unwrap();
    let p = ChildPlan {
        landlock: Some(plan),
        ..ChildPlan::default()
    };
    let script = format!(
        "head -c4 /etc/passwd; echo; echo mine > '{a}/f' && cat '{a}/f'; \
         cat '{o}/secret' 2>/dev/null || echo denied-read; \
         echo x > '{o}/new' 2>/dev/null || echo denied-write; \
         echo x > /etc/shellwise-landlock 2>/dev/null || echo denied-etc; echo x > /dev/null",
        a = area.display(),
        o = other.display()
    );
    let o = command(&["sh", "-c", &script], PreExec::new(&p, None).unwrap())
        .output()
        .unwrap();
    let (status, out) = (o.status, String::from_utf8_lossy(&o.stdout).into_owned());
    assert!(
        status.success(),
        "{out} {status:?} {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(out, "root\nmine\ndenied-read\ndenied-write\ndenied-etc\n");
    assert!(!other.join("new").exists());
}

#[test]
fn resolve_user_reads_the_password_database() {
    let root = resolve_user("root");
    assert_eq!(root, Some((0, 0)));
    assert_eq!(resolve_user("no-such-user-shellwise-xyz"), None);
}

#[test]
fn unavailable_manager_refuses_create_with_the_reason() {
    let m = CgroupManager::new(CgroupMode::Unavailable {
        reason: "no cgroup fs".into(),
    });
    let err = m.create(&limits()).unwrap_err();
    assert_eq!(err.to_string(), "cgroups unavailable: no cgroup fs");
    assert_eq!(m.reap_stale().unwrap(), 0);
}

// ---------------------------------------------------------------- real kernel: cgroups

#[test]
fn detection_places_run_directories_under_our_own_cgroups() {
    let _g = lock();
    if !is_root() {
        return skip("detection", "not root");
    }
    let mounts = parse_mountinfo(&fs::read_to_string("/proc/self/mountinfo").unwrap());
    let own = parse_proc_cgroup(&fs::read_to_string("/proc/self/cgroup").unwrap());
    let unified_has_memory = resolve_cgroup_dir(&mounts, &own, None)
        .and_then(|d| fs::read_to_string(d.join("cgroup.controllers")).ok())
        .is_some_and(|c| c.split_whitespace().any(|x| x == "memory"));
    let mode = detect();
    let prefix = format!("shellwise-{}-", std::process::id());
    let check = |dir: &Path, controller: Option<&str>| {
        let parent = resolve_cgroup_dir(&mounts, &own, controller).unwrap();
        assert_eq!(dir.parent(), Some(parent.as_path()), "{controller:?}");
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(name.starts_with(&prefix), "{name}");
        assert!(dir.is_dir(), "{}", dir.display());
    };
    match &mode {
        CgroupMode::V2 { base } => {
            assert!(unified_has_memory, "v2 chosen without a memory controller");
            check(base, None);
        }
        CgroupMode::V1 {
            memory,
            pids,
            cpu,
            cpuacct,
            freezer,
        } => {
            assert!(!unified_has_memory, "v1 chosen although v2 offers memory");
            check(memory, Some("memory"));
            check(pids, Some("pids"));
            check(cpu, Some("cpu"));
            check(cpuacct, Some("cpuacct"));
            if let Some(f) = freezer {
                check(f, Some("freezer"));
            }
            println!("detected {} memory={}", mode.describe(), memory.display());
        }
        CgroupMode::Unavailable { reason } => return skip("detection", reason),
    }
    let dirs = mode_dirs(&mode);
    let m = CgroupManager::with_pool_size(mode, 0);
    m.shutdown();
    for d in dirs {
        assert!(!d.exists(), "{} left after shutdown", d.display());
    }
}

#[test]
fn child_is_in_its_group_from_its_first_instruction() {
    let _g = lock();
    let Some(m) = manager("attach_before_exec", 2) else {
        return;
    };
    let g = m.create(&limits()).unwrap();
    let pre = PreExec::new(&plan(limits()), Some(&g)).unwrap();
    let (status, out) = output(&["cat", "/proc/self/cgroup"], pre);
    assert!(status.success());
    let mounts = parse_mountinfo(&fs::read_to_string("/proc/self/mountinfo").unwrap());
    let lines = parse_proc_cgroup(&out);
    let mut seen: Vec<PathBuf> = ["memory", "pids", "cpu", "cpuacct", "freezer"]
        .into_iter()
        .filter_map(|c| resolve_cgroup_dir(&mounts, &lines, Some(c)))
        .collect();
    if matches!(m.mode(), CgroupMode::V2 { .. }) {
        seen = resolve_cgroup_dir(&mounts, &lines, None)
            .into_iter()
            .collect();
    }
    let mut want = g.paths();
    seen.sort();
    seen.dedup();
    want.sort();
    assert_eq!(seen, want);
}

#[test]
fn memory_hog_is_oom_killed_and_reported() {
    let _g = lock();
    let Some(m) = manager("memory_hog", 2) else {
        return;
    };
    let l = Limits {
        memory_bytes: Some(64 << 20),
        ..limits()
    };
    let g = m.create(&l).unwrap();
    let pre = PreExec::new(&plan(l), Some(&g)).unwrap();
    let (status, _) = output(
        &["python3", "-c", "x = b'x' * (1 << 30); print(len(x))"],
        pre,
    );
    let r = g.report();
    assert_eq!(
        (status.signal(), r.oom_killed),
        (Some(libc::SIGKILL), true),
        "{r:?}"
    );
    let peak = r.peak_memory_bytes.unwrap();
    assert!(peak <= (64 << 20) + (1 << 20), "peak {peak}");
}

fn proc_alive_in(pid: i32, group: &Path) -> bool {
    let name = group.file_name().unwrap().to_string_lossy().into_owned();
    let Ok(stat) = fs::read_to_string(format!("/proc/{pid}/stat")) else {
        return false;
    };
    // A zombie has exited; only its parent's wait removes the entry.
    let state = stat
        .rsplit(')')
        .next()
        .unwrap_or("")
        .split_whitespace()
        .next();
    if state == Some("Z") {
        return false;
    }
    fs::read_to_string(format!("/proc/{pid}/cgroup"))
        .is_ok_and(|c| c.contains(&format!("/{name}\n")))
}

#[test]
fn fork_bomb_hits_pids_max_and_kill_all_leaves_nothing() {
    let _g = lock();
    let Some(m) = manager("fork_bomb", 2) else {
        return;
    };
    let l = Limits {
        pids: Some(32),
        ..limits()
    };
    let g = m.create(&l).unwrap();
    let pre = PreExec::new(&plan(l), Some(&g)).unwrap();
    let mut child = command(
        &[
            "bash",
            "-c",
            "for i in $(seq 1 200); do sleep 60 & done; wait",
        ],
        pre,
    )
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !g.report().pids_limit_hit && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let members = g.pids();
    assert!(g.report().pids_limit_hit);
    assert!(
        members.len() <= 32 && members.len() > 1,
        "{}",
        members.len()
    );
    g.kill_all();
    let status = wait_timeout(&mut child, Duration::from_secs(5)).unwrap();
    assert_eq!(status.signal(), Some(libc::SIGKILL));
    assert_eq!(g.pids(), Vec::<i32>::new());
    let group_dir = g.paths()[0].clone();
    let survivors: Vec<i32> = members
        .into_iter()
        .filter(|p| proc_alive_in(*p, &group_dir))
        .collect();
    assert_eq!(survivors, Vec::<i32>::new());
}

#[test]
fn cpu_quota_of_half_a_cpu_gives_about_half_a_second_per_second() {
    let _g = lock();
    let Some(m) = manager("cpu_quota", 2) else {
        return;
    };
    let l = Limits {
        cpu_millis_per_sec: Some(500),
        ..limits()
    };
    let g = m.create(&l).unwrap();
    let pre = PreExec::new(&plan(l), Some(&g)).unwrap();
    let mut child = command(&["sh", "-c", "while :; do :; done"], pre)
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1000));
    let r = g.report();
    g.kill_all();
    let _ = wait_timeout(&mut child, Duration::from_secs(5)).unwrap();
    let used = r.user_ms.unwrap() + r.system_ms.unwrap();
    println!("cpu used under 50% quota in 1 s wall: {used} ms");
    assert!((300..=700).contains(&used), "{used} ms");
}

#[test]
fn stale_run_directories_are_killed_and_removed() {
    let _g = lock();
    let Some(m) = manager("reap_stale", 0) else {
        return;
    };
    let dead_pid = {
        let mut c = Command::new("true").spawn().unwrap();
        c.wait().unwrap();
        c.id()
    };
    let me = RunOwner::me();
    let stale_name = RunOwner {
        pid: dead_pid,
        ..me
    }
    .dir_name(0);
    // A run of another pid namespace whose pid is not visible here: never touched.
    let foreign_name = RunOwner {
        pid: dead_pid,
        pid_ns: me.pid_ns.map(|n| n + 1),
        ..me
    }
    .dir_name(0);
    let foreign: Vec<PathBuf> = mode_dirs(m.mode())
        .iter()
        .map(|d| d.parent().unwrap().join(&foreign_name))
        .collect();
    for f in &foreign {
        fs::create_dir_all(f).unwrap();
    }
    let roots: Vec<PathBuf> = mode_dirs(m.mode())
        .iter()
        .map(|d| d.parent().unwrap().join(&stale_name))
        .collect();
    let mut victim = Command::new("sleep").arg("60").spawn().unwrap();
    for r in &roots {
        fs::create_dir_all(r.join("g0")).unwrap();
        fs::write(r.join("g0/cgroup.procs"), victim.id().to_string()).unwrap();
    }
    // Other test processes sharing this parent cgroup may have left stale runs too.
    assert!(m.reap_stale().unwrap() >= 1);
    let status = wait_timeout(&mut victim, Duration::from_secs(5)).unwrap();
    let left: Vec<&PathBuf> = roots.iter().filter(|r| r.exists()).collect();
    assert_eq!((status.signal(), left), (Some(libc::SIGKILL), vec![]));
    assert!(
        foreign.iter().all(|f| f.is_dir()),
        "another namespace's run was reaped"
    );
    for f in &foreign {
        fs::remove_dir(f).unwrap();
    }
    // Our own run directory is not stale.
    m.reap_stale().unwrap();
    for d in mode_dirs(m.mode()) {
        assert!(d.is_dir());
    }
}

struct SoakStats {
    cycles_per_sec: f64,
    create_us: f64,
    drop_us: f64,
}

fn soak(m: &CgroupManager, cycles: u32, spawn: bool) -> SoakStats {
    let l = Limits {
        memory_bytes: Some(256 << 20),
        pids: Some(64),
        cpu_millis_per_sec: Some(1000),
        ..limits()
    };
    let (mut create, mut dropping) = (Duration::ZERO, Duration::ZERO);
    let start = Instant::now();
    for _ in 0..cycles {
        let t = Instant::now();
        let g = m.create(&l).unwrap();
        create += t.elapsed();
        if spawn {
            let pre = PreExec::new(&plan(l.clone()), Some(&g)).unwrap();
            let status = command(&["true"], pre).status().unwrap();
            assert!(status.success());
        }
        let t = Instant::now();
        drop(g);
        dropping += t.elapsed();
    }
    assert!(m.wait_idle(Duration::from_secs(30)));
    let per = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(cycles);
    SoakStats {
        cycles_per_sec: f64::from(cycles) / start.elapsed().as_secs_f64(),
        create_us: per(create),
        drop_us: per(dropping),
    }
}

/// Spawns/s of `true` without any cgroup, as the baseline for the attach cost.
fn spawn_rate_without_cgroup(cycles: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..cycles {
        let pre = PreExec::new(&plan(limits()), None).unwrap();
        assert!(command(&["true"], pre).status().unwrap().success());
    }
    f64::from(cycles) / start.elapsed().as_secs_f64()
}

#[test]
fn soak_of_500_cycles_leaves_no_group_and_no_fd() {
    let _g = lock();
    if manager("soak", 0).is_none() {
        return;
    }
    let fds_before = count_fds();
    let mut results = Vec::new();
    for pool in [0usize, 16] {
        let m = manager("soak", pool).unwrap();
        assert!(m.wait_idle(Duration::from_secs(10)));
        let bases = mode_dirs(m.mode());
        // Request-path cost of create() when the pool has groups ready (limit writes only).
        let t = Instant::now();
        let soak_limits = Limits {
            memory_bytes: Some(256 << 20),
            pids: Some(64),
            cpu_millis_per_sec: Some(1000),
            ..limits()
        };
        let held: Vec<ExecCgroup> = (0..pool.max(1))
            .map(|_| m.create(&soak_limits).unwrap())
            .collect();
        let ready_create_us = t.elapsed().as_secs_f64() * 1e6 / held.len() as f64;
        drop(held);
        assert!(m.wait_idle(Duration::from_secs(10)));
        let create_drop = soak(&m, 500, false);
        let full = soak(&m, 500, true);
        // Only pooled groups remain: fresh ones up to `pool`, recycled (emptied) v1 groups up
        // to `2 * pool`; none of them holds a process.
        for b in &bases {
            let left = subdirs(b);
            assert!(
                left.len() >= pool && left.len() <= 2 * pool,
                "{}: {}",
                b.display(),
                left.len()
            );
            for g in &left {
                let procs = fs::read_to_string(b.join(g).join("cgroup.procs")).unwrap_or_default();
                assert_eq!(procs.trim(), "", "{g} is not empty");
            }
        }
        m.shutdown();
        for b in &bases {
            assert!(!b.exists(), "{} left", b.display());
        }
        results.push(format!(
            "pool={pool}: create with groups ready {ready_create_us:.0} us; \
             create+drop {:.0}/s (create {:.0} us, drop {:.0} us on the caller); \
             create+spawn(true)+drop {:.0}/s (create {:.0} us, drop {:.0} us)",
            create_drop.cycles_per_sec,
            create_drop.create_us,
            create_drop.drop_us,
            full.cycles_per_sec,
            full.create_us,
            full.drop_us
        ));
    }
    assert_eq!(count_fds(), fds_before);
    results.push(format!(
        "baseline: spawn(true) without cgroup {:.0}/s",
        spawn_rate_without_cgroup(500)
    ));
    // Attach cost alone: the same group, spawning with and without the cgroup.procs writes.
    let m = manager("soak", 0).unwrap();
    let g = m.create(&limits()).unwrap();
    let rate = |attach: bool| {
        let start = Instant::now();
        for _ in 0..300 {
            let pre = PreExec::new(&plan(limits()), attach.then_some(&g)).unwrap();
            assert!(command(&["true"], pre).status().unwrap().success());
        }
        start.elapsed().as_secs_f64() * 1e6 / 300.0
    };
    let (with, without) = (rate(true), rate(false));
    results.push(format!(
        "attach to {} hierarchies in pre_exec: {:.0} us per spawn ({with:.0} vs {without:.0} us)",
        g.attach_fds().len(),
        with - without
    ));
    drop(g);
    m.shutdown();
    for r in results {
        println!("soak: {r}");
    }
}

// ---------------------------------------------------------------- real kernel: rlimits etc.

#[test]
fn rlimit_cpu_kills_a_spinner() {
    let _g = lock();
    let l = Limits {
        cpu_time_secs: Some(1),
        ..limits()
    };
    let pre = PreExec::new(&plan(l), None).unwrap();
    let mut child = command(&["sh", "-c", "while :; do :; done"], pre)
        .spawn()
        .unwrap();
    let status = wait_timeout(&mut child, Duration::from_secs(10));
    if status.is_none() {
        let _ = child.kill();
    }
    let sig = status.and_then(|s| s.signal());
    assert!(
        matches!(sig, Some(libc::SIGXCPU) | Some(libc::SIGKILL)),
        "{sig:?}"
    );
}

#[test]
fn rlimit_fsize_stops_a_large_write() {
    let _g = lock();
    let d = tempdir("fsize");
    let f = d.join("big");
    let l = Limits {
        file_size_bytes: Some(4096),
        ..limits()
    };
    let pre = PreExec::new(&plan(l), None).unwrap();
    let of = format!("of={}", f.display());
    let (status, _) = output(&["dd", "if=/dev/zero", &of, "bs=1024", "count=100"], pre);
    let size = fs::metadata(&f).unwrap().len();
    assert_eq!((status.signal(), size), (Some(libc::SIGXFSZ), 4096));
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn no_new_privs_and_no_core_dumps_are_set_in_the_child() {
    let _g = lock();
    let pre = PreExec::new(&plan(limits()), None).unwrap();
    let (status, out) = output(
        &["sh", "-c", "grep NoNewPrivs /proc/self/status; ulimit -c"],
        pre,
    );
    assert!(status.success());
    assert_eq!(out, "NoNewPrivs:\t1\n0\n");
}

#[test]
fn network_none_blocks_a_listener_on_loopback() {
    let _g = lock();
    if !is_root() {
        return skip("network_none", "not root");
    }
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let script = format!("exec 3<>/dev/tcp/127.0.0.1/{port} && echo connected");
    let run = |network_none| {
        let p = ChildPlan {
            network_none,
            ..ChildPlan::default()
        };
        output(&["bash", "-c", &script], PreExec::new(&p, None).unwrap())
    };
    let (open_status, open_out) = run(false);
    let (closed_status, closed_out) = run(true);
    assert_eq!(
        (
            open_status.code(),
            open_out.as_str(),
            closed_status.success(),
            closed_out.as_str()
        ),
        (Some(0), "connected\n", false, "")
    );
}

#[test]
fn run_as_nobody_drops_uid_gid_and_groups() {
    let _g = lock();
    if !is_root() {
        return skip("run_as", "not root");
    }
    let Some(nobody) = resolve_user("nobody") else {
        return skip("run_as", "no user nobody");
    };
    let p = ChildPlan {
        run_as: Some(nobody),
        ..ChildPlan::default()
    };
    let (status, out) = output(
        &["sh", "-c", "id -u; id -g; id -G"],
        PreExec::new(&p, None).unwrap(),
    );
    assert!(status.success());
    assert_eq!(out, format!("{}\n{}\n{}\n", nobody.0, nobody.1, nobody.1));
}

#[test]
fn private_tmp_is_an_empty_tmpfs_invisible_to_the_host() {
    let _g = lock();
    if !is_root() {
        return skip("private_tmp", "not root");
    }
    let marker = format!("shellwise-private-tmp-{}", std::process::id());
    let p = ChildPlan {
        private_tmp: true,
        ..ChildPlan::default()
    };
    let script = format!("ls -A /tmp | wc -l; stat -f -c %T /tmp; touch /tmp/{marker}");
    let (status, out) = output(&["sh", "-c", &script], PreExec::new(&p, None).unwrap());
    assert_eq!((status.success(), out.as_str()), (true, "0\ntmpfs\n"));
    assert!(!Path::new("/tmp").join(&marker).exists());
}

#[test]
fn a_cgroup_shared_with_processes_that_are_not_ours_is_refused_naming_the_systemd_setting() {
    let own = Path::new("/sys/fs/cgroup/user.slice/session-3.scope");
    assert_eq!(only_ours(own, &[], 42), Ok(()));
    assert_eq!(only_ours(own, &[42], 42), Ok(()));
    let err = only_ours(own, &[17, 42, 99], 42).unwrap_err();
    assert!(err.contains("session-3.scope"), "{err}");
    assert!(err.contains("pids 17,99)"), "{err}");
    assert!(err.contains("Delegate=yes"), "{err}");
    let many: Vec<i32> = (1..=20).collect();
    let err = only_ours(own, &many, 42).unwrap_err();
    assert!(err.contains("pids 1,2,3,4,5,6,7,8,…)"), "{err}");
}
