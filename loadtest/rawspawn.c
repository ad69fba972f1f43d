/* rawspawn: the spawn work of one shellwise exec, without HTTP, as a reference loop.
 *
 * Why: "the server does N req/s" means little on its own; "the server reaches 40% of what the
 * kernel allows for the same spawn work" says how much the HTTP/async/redaction layers cost.
 * bench.py runs this next to the server and prints server / raw ratios.
 *
 * Modes are cumulative, each adds what the server's default box adds:
 *   spawn   posix_spawn (vfork-like) of the command, stdout+stderr pipes read to EOF, waitpid
 *   rlimit  + vfork/exec with setpgid, PR_SET_PDEATHSIG, setrlimit CPU/FSIZE/NOFILE/CORE in the
 *             child, and (with --uid) setgroups/setgid/setuid + PR_SET_NO_NEW_PRIVS
 *   cgroup  + the child joins pre-created cgroups (v1: memory,pids,cpu,cpuacct,freezer; or v2)
 *             by writing "0" to cgroup.procs fds the parent opened, before exec
 *   pidns   + the child is made by clone(CLONE_VM|CLONE_VFORK|CLONE_NEWPID|CLONE_NEWNS) like the
 *             server's, makes its mounts slaves of the host's and mounts its own /proc
 *   mountns + size-capped tmpfs on /tmp and /dev/shm
 *   ipcns   + CLONE_NEWIPC
 *   landlock + the server's default ruleset (system read-only, devices, cwd, /tmp, /dev/shm
 *             writable), opened, built and applied in the child as the server does
 *   seccomp + a filter of the server's shape (the same ~40 syscalls, a binary search tree)
 * `box` is an alias of `seccomp`: the server's full default box.
 *
 * Cgroup placement (v2 only): `--v2` uses the cgroup2 hierarchy even on a hybrid host (no
 * limits written there), and `--placement clone3` creates each child inside its group with
 * clone3(CLONE_INTO_CGROUP) instead of the child writing cgroup.procs (`--placement procs`,
 * the default). Both then fork with clone3(CLONE_VFORK) and no CLONE_VM, so the two differ in
 * the placement only: `--mode cgroup --v2 --placement procs|clone3` measures what the server's
 * clone3 path saves.
 *
 * Bounded: stops after --count spawns or --seconds, whichever first. Cgroups it creates are
 * named ltraw-<pid> (never shellwise-*) and removed at the end, also after SIGINT/SIGTERM.
 *
 *   cc -O2 -o rawspawn rawspawn.c
 *   ./rawspawn --mode cgroup --seconds 3 --uid 999:995 -- /bin/sh -c 'echo hi'
 * Prints one JSON line: {"mode":..,"spawns":..,"seconds":..,"spawns_per_s":..,"failures":..}
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <stdint.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/audit.h>

extern char **environ;

enum { M_SPAWN, M_RLIMIT, M_CGROUP, M_PIDNS, M_MOUNTNS, M_IPCNS, M_LANDLOCK, M_SECCOMP, N_MODES };
static const char *mode_names[] = {"spawn", "rlimit", "cgroup", "pidns", "mountns", "ipcns",
                                   "landlock", "seccomp"};

#define MAX_HIER 8
#define MAX_GROUPS 64
static char hier_dir[MAX_HIER][1100]; /* <mount>/<own cgroup>/ltraw-<pid> */
static int n_hier;
static int cg_v2;
static int n_groups = 8;
static int procs_fd[MAX_GROUPS][MAX_HIER];
static int force_v2, use_clone3, use_clone3_procs;
static int group_dir_fd[MAX_GROUPS];
static volatile sig_atomic_t stop;

static void on_signal(int sig) { (void)sig; stop = 1; }

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int write_file(const char *path, const char *value) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, value, strlen(value));
    close(fd);
    return n < 0 ? -1 : 0;
}

/* The mount point of the hierarchy holding `ctrl` (v1), or of cgroup2 when ctrl is NULL. */
static int find_mount(const char *ctrl, char *mnt, size_t len, char *root, size_t rlen) {
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (!f) return -1;
    char line[4096];
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        char r[512], m[512], fstype[64], src[256], opts[1024];
        char *sep = strstr(line, " - ");
        if (!sep || sscanf(line, "%*s %*s %*s %511s %511s", r, m) != 2) continue;
        if (sscanf(sep + 3, "%63s %255s %1023s", fstype, src, opts) != 3) continue;
        if (ctrl == NULL ? strcmp(fstype, "cgroup2") != 0 : strcmp(fstype, "cgroup") != 0) continue;
        if (ctrl) {
            int has = 0;
            for (char *tok = strtok(opts, ","); tok; tok = strtok(NULL, ","))
                if (strcmp(tok, ctrl) == 0) has = 1;
            if (!has) continue;
        }
        snprintf(mnt, len, "%s", m);
        snprintf(root, rlen, "%s", r);
        found = 0;
    }
    fclose(f);
    return found;
}

/* Our own cgroup path for `ctrl` (v1) or the "0::" line (ctrl NULL) from /proc/self/cgroup. */
static int own_path(const char *ctrl, char *out, size_t len) {
    FILE *f = fopen("/proc/self/cgroup", "r");
    if (!f) return -1;
    char line[4096];
    int found = -1;
    while (found < 0 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *c1 = strchr(line, ':');
        char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        if (!c2) continue;
        *c2 = 0;
        *c1 = 0; /* `line` is now the hierarchy id ("0" for cgroup2) */
        char *ctrls = c1 + 1, *path = c2 + 1;
        if (ctrl == NULL) {
            if (strcmp(line, "0") == 0 && *ctrls == 0) { snprintf(out, len, "%s", path); found = 0; }
            continue;
        }
        for (char *tok = strtok(ctrls, ","); tok; tok = strtok(NULL, ","))
            if (strcmp(tok, ctrl) == 0) { snprintf(out, len, "%s", path); found = 0; }
    }
    fclose(f);
    return found;
}

static void add_hier(const char *ctrl) {
    char mnt[512], root[512], own[512], dir[1100];
    if (find_mount(ctrl, mnt, sizeof mnt, root, sizeof root) || own_path(ctrl, own, sizeof own)) return;
    const char *rel = own;
    size_t rl = strlen(root);
    if (strcmp(root, "/") != 0 && strncmp(own, root, rl) == 0) rel = own + rl;
    snprintf(dir, sizeof dir, "%s%s/ltraw-%d", mnt, strcmp(rel, "/") == 0 ? "" : rel, getpid());
    for (int i = 0; i < n_hier; i++)
        if (strcmp(hier_dir[i], dir) == 0) return; /* co-mounted, e.g. cpu,cpuacct */
    snprintf(hier_dir[n_hier++], sizeof hier_dir[0], "%s", dir);
}

static void cleanup_cgroups(void) {
    char p[1200];
    for (int h = 0; h < n_hier; h++) {
        for (int g = 0; g < n_groups; g++) {
            if (procs_fd[g][h] > 0) close(procs_fd[g][h]);
            snprintf(p, sizeof p, "%.1100s/g%d", hier_dir[h], g);
            /* A just-reaped child can keep a v1 group busy for a moment. */
            for (int t = 0; t < 50 && rmdir(p) != 0 && errno == EBUSY; t++) usleep(20000);
        }
        rmdir(hier_dir[h]);
    }
}

static int setup_cgroups(void) {
    const char *ctrls[] = {"memory", "pids", "cpu", "cpuacct", "freezer"};
    if (!force_v2)
        for (size_t i = 0; i < sizeof ctrls / sizeof *ctrls; i++) add_hier(ctrls[i]);
    if (n_hier == 0) { add_hier(NULL); cg_v2 = 1; }
    if (n_hier == 0) { fprintf(stderr, "rawspawn: no cgroup hierarchy found\n"); return -1; }
    char p[1200];
    for (int h = 0; h < n_hier; h++) {
        if (mkdir(hier_dir[h], 0755) != 0 && errno != EEXIST) { perror(hier_dir[h]); return -1; }
        for (int g = 0; g < n_groups; g++) {
            snprintf(p, sizeof p, "%.1100s/g%d", hier_dir[h], g);
            if (mkdir(p, 0755) != 0 && errno != EEXIST) { perror(p); return -1; }
            /* The server's default limits, written once like its pre-filled pool does. Which
             * file exists depends on the hierarchy; the others fail harmlessly. */
            char f[1300];
            if (!cg_v2) {
                snprintf(f, sizeof f, "%s/memory.limit_in_bytes", p); write_file(f, "536870912");
                snprintf(f, sizeof f, "%s/pids.max", p); write_file(f, "256");
                snprintf(f, sizeof f, "%s/cpu.cfs_period_us", p); write_file(f, "100000");
                snprintf(f, sizeof f, "%s/cpu.cfs_quota_us", p); write_file(f, "100000");
            }
            snprintf(f, sizeof f, "%s/cgroup.procs", p);
            procs_fd[g][h] = open(f, O_WRONLY | O_CLOEXEC);
            if (procs_fd[g][h] < 0) { perror(f); return -1; }
            if (cg_v2) group_dir_fd[g] = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        }
    }
    return 0;
}

/* ---- Landlock (raw syscalls; struct layouts of the kernel's uapi) ---- */
struct ll_ruleset_attr { uint64_t handled_access_fs, handled_access_net, scoped; };
struct ll_path_beneath { uint64_t allowed_access; int32_t parent_fd; } __attribute__((packed));
static int ll_abi;
static uint64_t ll_handled;
#define LL_FILE_RIGHTS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 14) | (1ULL << 15))
#define LL_READ_ONLY ((1ULL << 0) | (1ULL << 2) | (1ULL << 3))
static const char *ll_read_only[] = {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32",
                                     "/etc", "/opt", "/nix", "/proc", "/sys", "/dev", "/run", NULL};
static const char *ll_devices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random",
                                   "/dev/urandom", "/dev/tty", "/dev/ptmx", "/dev/pts", NULL};
static char ll_cwd[1024];

static void landlock_init(void) {
    ll_abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, 1U);
    if (ll_abi < 0) ll_abi = 0;
    ll_handled = (1ULL << 13) - 1;
    if (ll_abi >= 2) ll_handled |= 1ULL << 13;
    if (ll_abi >= 3) ll_handled |= 1ULL << 14;
    if (ll_abi >= 5) ll_handled |= 1ULL << 15;
    if (!getcwd(ll_cwd, sizeof ll_cwd)) snprintf(ll_cwd, sizeof ll_cwd, "/");
}

static int ll_add(int ruleset, const char *path, uint64_t access) {
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0) return 0; /* missing on this host */
    struct stat st;
    if (fstat(fd, &st)) { close(fd); return -1; }
    struct ll_path_beneath rule = {access & ll_handled, fd};
    if (!S_ISDIR(st.st_mode)) rule.allowed_access &= LL_FILE_RIGHTS;
    long rc = syscall(SYS_landlock_add_rule, ruleset, 1 /* PATH_BENEATH */, &rule, 0U);
    close(fd);
    return rc < 0 ? -1 : 0;
}

static int landlock_apply(void) {
    if (ll_abi <= 0) return -1;
    struct ll_ruleset_attr attr = {ll_handled, 0, ll_abi >= 6 ? 3 : 0};
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0U);
    if (rs < 0) return -1;
    int bad = 0;
    for (int i = 0; ll_read_only[i]; i++) bad |= ll_add(rs, ll_read_only[i], LL_READ_ONLY);
    for (int i = 0; ll_devices[i]; i++) bad |= ll_add(rs, ll_devices[i], ~0ULL);
    bad |= ll_add(rs, ll_cwd, ~0ULL);
    bad |= ll_add(rs, "/tmp", ~0ULL);
    bad |= ll_add(rs, "/dev/shm", ~0ULL);
    if (!bad && syscall(SYS_landlock_restrict_self, rs, 0U) < 0) bad = 1;
    close(rs);
    return bad ? -1 : 0;
}

/* ---- seccomp: the server's deny list, looked up in a binary search tree ---- */
static const long sc_denied[] = {
    SYS_unshare, SYS_setns, SYS_mount, SYS_umount2, SYS_pivot_root, SYS_fsopen, SYS_fsconfig,
    SYS_fsmount, SYS_fspick, SYS_move_mount, SYS_open_tree, SYS_mount_setattr, SYS_keyctl,
    SYS_add_key, SYS_request_key, SYS_bpf, SYS_perf_event_open, SYS_userfaultfd,
    SYS_io_uring_setup, SYS_io_uring_enter, SYS_io_uring_register, SYS_init_module,
    SYS_finit_module, SYS_delete_module, SYS_kexec_load, SYS_kexec_file_load, SYS_reboot,
    SYS_swapon, SYS_swapoff, SYS_settimeofday, SYS_clock_settime, SYS_clock_adjtime, SYS_acct,
    SYS_quotactl, SYS_open_by_handle_at, SYS_syslog, SYS_iopl, SYS_ioperm, SYS_clone3};
#define SC_N (sizeof sc_denied / sizeof *sc_denied)
static struct sock_filter sc_prog[512];
static int sc_len;
static long sc_sorted[SC_N];

static int cmp_long(const void *a, const void *b) {
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

static void sc_emit(struct sock_filter f) { sc_prog[sc_len++] = f; }

/* Emits the subtree for sorted[lo..hi) at the end of the program. */
static void sc_tree(int lo, int hi) {
    if (hi - lo <= 3) {
        for (int i = lo; i < hi; i++) {
            sc_emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)sc_sorted[i], 0, 1));
            sc_emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
        }
        sc_emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
        return;
    }
    int mid = lo + (hi - lo) / 2;
    int at = sc_len;
    sc_emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (uint32_t)sc_sorted[mid], 0, 0));
    sc_tree(lo, mid);
    sc_prog[at].jt = (uint8_t)(sc_len - at - 1);
    sc_tree(mid, hi);
}

static void seccomp_init(void) {
    memcpy(sc_sorted, sc_denied, sizeof sc_denied);
    qsort(sc_sorted, SC_N, sizeof *sc_sorted, cmp_long);
    sc_emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)));
    sc_emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0));
    sc_emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    sc_emit((struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)));
    sc_emit((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x40000000, 0, 1));
    sc_emit((struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
    sc_tree(0, (int)SC_N);
}

static int seccomp_apply(void) {
    struct sock_fprog prog = {(unsigned short)sc_len, sc_prog};
    return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0U, &prog);
}

struct clone_args_v2 {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls,
        set_tid, set_tid_size, cgroup;
};
#define CLONE_INTO_CGROUP_FLAG 0x200000000ULL

struct child_args {
    int mode, out_w, err_w, group, placed;
    uid_t uid;
    gid_t gid;
    char **argv;
};

/* Child side of vfork/clone: raw syscalls only, nothing that allocates or locks. */
static int child(void *p) {
    const struct child_args *a = p;
    int mode = a->mode;
    if (mode >= M_CGROUP && !a->placed)
        for (int h = 0; h < n_hier; h++)
            if (write(procs_fd[a->group][h], "0", 1) != 1) _exit(126);
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (mode >= M_PIDNS) {
        if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL)) _exit(126);
        if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL)) _exit(126);
    }
    if (mode >= M_MOUNTNS) {
        if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=536870912")) _exit(126);
        if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=536870912")) _exit(126);
    }
    if (a->uid != (uid_t)-1) {
        if (setgroups(0, NULL) || setgid(a->gid) || setuid(a->uid)) _exit(126);
    }
    if (mode >= M_RLIMIT && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) _exit(126);
    if (mode >= M_LANDLOCK && landlock_apply()) _exit(126);
    struct rlimit cpu = {300, 300}, fsize = {1UL << 30, 1UL << 30}, nofile = {1024, 1024}, core = {0, 0};
    if (setrlimit(RLIMIT_CPU, &cpu) || setrlimit(RLIMIT_FSIZE, &fsize) ||
        setrlimit(RLIMIT_NOFILE, &nofile) || setrlimit(RLIMIT_CORE, &core))
        _exit(126);
    if (mode >= M_SECCOMP && seccomp_apply()) _exit(126);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(a->out_w, 1) < 0 || dup2(a->err_w, 2) < 0) _exit(126);
    execve(a->argv[0], a->argv, environ);
    _exit(127);
}

static char *child_stack;
#define CHILD_STACK (256 * 1024)

/* One spawn: returns 0 when the child exited 0 and printed `expect` on stdout. */
static int one(int mode, char **argv, int group, uid_t uid, gid_t gid, const char *expect) {
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) return -1;
    pid_t pid;
    if (mode == M_SPAWN) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], 1);
        posix_spawn_file_actions_adddup2(&fa, err[1], 2);
        int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        if (rc != 0) pid = -1;
    } else {
        struct child_args a = {mode, out[1], err[1], group, 0, uid, gid, argv};
        int flags = CLONE_VM | CLONE_VFORK | SIGCHLD;
        if (mode >= M_PIDNS) flags |= CLONE_NEWPID | CLONE_NEWNS;
        if (mode >= M_IPCNS) flags |= CLONE_NEWIPC;
        if (use_clone3 || use_clone3_procs) {
            /* No CLONE_VM: the child returns here with a copy of our memory, like vfork. */
            struct clone_args_v2 ca = {0};
            ca.flags = (uint64_t)(flags & ~(CLONE_VM | 0xff));
            ca.exit_signal = SIGCHLD;
            if (use_clone3) {
                ca.flags |= CLONE_INTO_CGROUP_FLAG;
                ca.cgroup = (uint64_t)group_dir_fd[group];
                a.placed = 1;
            }
            pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
            if (pid == 0) _exit(child(&a));
        } else {
            pid = clone(child, child_stack + CHILD_STACK, flags, &a);
        }
    }
    close(out[1]);
    close(err[1]);
    char buf[4096];
    size_t got = 0;
    struct pollfd p[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0 && poll(p, 2, 5000) > 0) {
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char tmp[4096];
            ssize_t n = read(p[i].fd, tmp, sizeof tmp);
            if (n <= 0) { close(p[i].fd); p[i].fd = -1; open_fds--; continue; }
            if (i == 0 && got + n < sizeof buf) { memcpy(buf + got, tmp, n); got += n; }
        }
    }
    for (int i = 0; i < 2; i++) if (p[i].fd >= 0) close(p[i].fd);
    if (pid < 0) return -1;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    buf[got] = 0;
    return (WIFEXITED(status) && WEXITSTATUS(status) == 0 && strcmp(buf, expect) == 0) ? 0 : -1;
}

static void usage(void) {
    fprintf(stderr, "usage: rawspawn [--mode spawn|rlimit|cgroup|pidns|mountns|ipcns|landlock|seccomp|box]\n"
                    "                [--count N] [--seconds S]\n"
                    "                [--groups N] [--uid UID:GID] [--expect TEXT]\n"
                    "                [--v2 1] [--placement procs|clone3] [-- ARGV...]\n");
    exit(2);
}

int main(int argc, char **argv) {
    int mode = M_SPAWN;
    long count = 100000;
    double seconds = 3;
    uid_t uid = (uid_t)-1;
    gid_t gid = (gid_t)-1;
    const char *expect = "hi\n";
    char *def_argv[] = {"/bin/echo", "hi", NULL};
    char **cmd = def_argv;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--") == 0) { if (i + 1 >= argc) usage(); cmd = argv + i + 1; break; }
        if (!v) usage();
        if (strcmp(a, "--mode") == 0) {
            mode = -1;
            for (int m = 0; m < N_MODES; m++) if (strcmp(v, mode_names[m]) == 0) mode = m;
            if (strcmp(v, "box") == 0) mode = M_SECCOMP;
            if (mode < 0) usage();
        } else if (strcmp(a, "--count") == 0) count = atol(v);
        else if (strcmp(a, "--seconds") == 0) seconds = atof(v);
        else if (strcmp(a, "--groups") == 0) n_groups = atoi(v);
        else if (strcmp(a, "--expect") == 0) expect = v;
        else if (strcmp(a, "--v2") == 0) { force_v2 = atoi(v); }
        else if (strcmp(a, "--placement") == 0) {
            if (strcmp(v, "clone3") == 0) use_clone3 = 1;
            else if (strcmp(v, "procs") == 0) use_clone3_procs = 1;
            else usage();
        }
        else if (strcmp(a, "--uid") == 0) {
            unsigned u, g;
            if (sscanf(v, "%u:%u", &u, &g) != 2) usage();
            uid = u; gid = g;
        } else usage();
        i++;
    }
    if (n_groups < 1 || n_groups > MAX_GROUPS || count < 1 || seconds <= 0 || seconds > 600) usage();
    if (mode == M_SPAWN) uid = (uid_t)-1; /* posix_spawn cannot drop privileges */
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (mode >= M_CGROUP && setup_cgroups() != 0) { cleanup_cgroups(); return 1; }
    landlock_init();
    seccomp_init();
    child_stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (child_stack == MAP_FAILED) { perror("mmap"); return 1; }

    long spawns = 0, failures = 0;
    double t0 = now(), end = t0 + seconds;
    while (!stop && spawns < count && now() < end) {
        if (one(mode, cmd, (int)(spawns % n_groups), uid, gid, expect) != 0) failures++;
        spawns++;
    }
    double took = now() - t0;
    if (mode >= M_CGROUP) cleanup_cgroups();
    /* CPU of this loop and of every child it reaped: the whole spawn work, per spawn. */
    struct rusage self, kids;
    getrusage(RUSAGE_SELF, &self);
    getrusage(RUSAGE_CHILDREN, &kids);
    double cpu = self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec + kids.ru_stime.tv_sec +
                 (self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) / 1e6;
    printf("{\"mode\":\"%s\",\"spawns\":%ld,\"seconds\":%.3f,\"spawns_per_s\":%.1f,\"failures\":%ld,"
           "\"cpu_ms_per_spawn\":%.3f,\"cgroup_hierarchies\":%d,\"cgroup_v2\":%s}\n",
           mode_names[mode], spawns, took, spawns / took, failures, spawns ? cpu * 1000 / spawns : 0.0,
           mode >= M_CGROUP ? n_hier : 0, cg_v2 ? "true" : "false");
    return failures ? 1 : 0;
}
