//! Spawner threads: where the `clone(CLONE_VFORK)` of every command happens.
//!
//! `CLONE_VFORK` suspends the calling thread until the child has exec'd. In a full box the
//! child first attaches to its cgroups, mounts its `/proc`, `/tmp` and `/dev/shm`, applies
//! Landlock and seccomp — and several of those steps sleep in the kernel (a v1
//! `cgroup.procs` write and a mount wait for RCU grace periods). Spawning on an async worker
//! stalled that worker, one of only as many as there are CPUs, for the whole time: under load
//! the CPUs sat partly idle while requests queued. Here a few long-lived threads do the
//! clone, so the async workers keep serving while children set themselves up, and several
//! children can set up at once.
//!
//! The threads live as long as the process: a child's parent-death signal fires when the
//! *thread* that cloned it exits, so a spawner thread never exits while the server runs.

use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    jobs: Mutex<mpsc::Sender<Job>>,
}

/// Spawner threads: enough that every CPU can have a child in set-up while others wait.
fn threads() -> usize {
    let cpus = std::thread::available_parallelism().map_or(2, usize::from);
    (cpus * 2).clamp(4, 32)
}

fn pool() -> Option<&'static Pool> {
    static POOL: OnceLock<Option<Pool>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<Job>();
        let rx = std::sync::Arc::new(Mutex::new(rx));
        let mut started = 0;
        for i in 0..threads() {
            let rx = std::sync::Arc::clone(&rx);
            let spawned = std::thread::Builder::new()
                .name(format!("shellwise-spawn-{i}"))
                .spawn(move || loop {
                    let job = match rx.lock() {
                        Ok(r) => r.recv(),
                        Err(p) => p.into_inner().recv(),
                    };
                    match job {
                        // A panicking job must not end the thread: its children's
                        // parent-death signal would fire.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return,
                    }
                });
            if spawned.is_ok() {
                started += 1;
            }
        }
        (started > 0).then(|| Pool {
            jobs: Mutex::new(tx),
        })
    })
    .as_ref()
}

/// Runs `f` on a spawner thread and waits for it without blocking the async worker (here,
/// when no spawner thread could be started). `None` when `f` panicked.
pub(super) async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let Some(pool) = pool() else {
        return Some(f());
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    // A receiver that went away (the request was dropped) drops the result on the spawner
    // thread: a spawned child is then killed and reaped by its Drop.
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    let unsent = match pool.jobs.lock() {
        Ok(jobs) => jobs.send(job).err(),
        Err(p) => p.into_inner().send(job).err(),
    };
    if let Some(mpsc::SendError(job)) = unsent {
        job();
    }
    rx.await.ok()
}
