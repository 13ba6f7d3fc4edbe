/*
 * pw-spawn: starts step processes for the runner, as cheaply as make does, off its event loop.
 *
 * Each step is `/bin/sh -c <script>` started with clone(CLONE_VM | CLONE_VFORK) (so no page table
 * of the runner is copied however large it grows; see start_process), as the leader of its own
 * session and process group (setsid), stdin from /dev/null, stdout and stderr appended to its log
 * file, every signal at its default disposition and none blocked, on every CPU the runner may
 * use, in its working folder.
 *
 * Every running step has a thread of this module (named pw-step) that started it and waits for
 * it with waitid on its pid alone (Node's own children are never touched). Each thread of a pool
 * is bound to one CPU, so its step is made, runs and ends on that core, and the thread, woken by
 * the end, runs there next (see bind_to_slot_cpu). When its step ends the thread kills what is
 * left of the step's process group (the leader is still a zombie then, so the group id cannot
 * have been reused), reaps the leader, reports to the event loop (uv_async), and starts the
 * pool's next waiting step at once, without a round trip through the event loop. While its step
 * runs it makes the folders and log file of a later waiting step (on this machine's file system
 * an inode can cost a quarter of a millisecond), so that when a slot frees only the spawn is left.
 *
 * Steps go into a pool with a limit (a run's concurrency): the event loop may hand it more steps
 * than the limit, and a pool has at most `limit` threads, made as they are first needed. While
 * the pool holds more waiting steps than it may run, starts and clean ends wait up to
 * REPORT_DELAY_MS for a wake-up that carries several (a timer thread sends it): the event loop is
 * one more thread competing with the steps for the cores, and every wake-up costs it a turn.
 *
 * JavaScript API (packages/runner/src/local/native-spawner.ts wraps it):
 *   pool(limit, baseEnv: string[] ("K=V")) -> handle; closePool(handle)
 *   onReports(dispatch): where reports go, in batches: dispatch(Int32Array of [id, kind, a, b]
 *     per report, messages) (see on_reports).
 *   spawn(pool, script, cwd, env: string[] (the step's own "K=V", over the base), logFile,
 *         dirs: string[])
 *     -> id. When the pool has room: creates `dirs` (with parents), opens the log and starts
 *     the step, then reports it started (its pid), or that it could not start ("<what>:
 *     <strerror> <path>"); once a started step has ended, its exit code or signal.
 *   discard(pool, id) -> true when the step was still waiting and now never starts.
 *   signal(pool, id, signal) -> true when the running step's process group was signaled (never
 *     once its leader has been reaped, so never a reused process id).
 *
 * Built by native/build.mjs with the C compiler and Node's own headers; when it cannot be built,
 * the runner uses its python3 (or Node) spawn helper instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include <node_api.h>
#include <uv.h>

struct pool;
struct module_state;

/* One step, from spawn() until its exit has been reported. */
typedef struct step {
  struct step *next; /* in its pool's queue of steps to start, then in its list of running ones */
  struct pool *pool;
  uint32_t id;
  char *script, *cwd, *log_path;
  char **envp, **dirs;
  uint32_t env_count, dir_count;
  /* Written by the thread that runs it. */
  pid_t pid;
  int error; /* errno of a failed start */
  const char *what, *where;
  int status; /* waitpid status once ended */
  /* Made ready before its turn: folders and log file (see prepare_step). */
  int prepared, preparing, discarded, awaited; /* preparing, discarded, awaited: under the lock */
  int log_fd, made_log;
  uint32_t made_dirs; /* bit i: dirs[i] was created for this step */
} step_t;

/*
 * Steps started together with at most `limit` running at once (one pool per run): the event loop
 * hands a pool its next steps before a slot is free, and the thread of a step that ends starts
 * the next one at once, without waiting for the event loop. Its fields are under the lock.
 */
typedef struct pool {
  struct pool *next;
  struct module_state *state;
  char **base_env; /* "K=V" every step of the pool gets unless it sets K itself */
  uint32_t base_count;
  uint32_t limit;
  uint32_t running; /* steps a thread has taken and not yet finished with */
  uint32_t threads; /* its pw-step threads (at most limit): each runs one step at a time */
  step_t *todo, *todo_tail;
  uint32_t queued;   /* steps in todo */
  /* Steps started and not yet reaped, for signal(): a step leaves it, under the lock, before its
   * leader is reaped (after which its id may be reused). */
  step_t *started;
  pthread_cond_t work; /* a step was queued, the pool closed, or a step made ahead is ready */
  cpu_set_t cpus; /* where the runner may run when the pool was made: every step gets it back */
  int cpu_count;
  int closed; /* its handle is gone: freed by its last thread */
} pool_t;

/* What a step's thread tells the event loop: a step started (or could not), or ended. */
typedef struct report {
  struct report *next;
  step_t *step;
  int ended;
} report_t;

/* One per Node environment (main thread or worker). */
typedef struct module_state {
  napi_env env;
  uv_async_t async;
  napi_async_context context;
  pthread_mutex_t lock;
  pool_t *pools;
  uint32_t next_id;
  report_t *done, *done_tail; /* threads -> event loop */
  unsigned in_flight;       /* steps not yet reported ended or failed: keep the loop alive */
  napi_ref dispatch;        /* the JavaScript function every batch of reports goes to */
  int started, stopping;
  /* Whoever drops the last reference frees the state: the environment (once libuv has closed
   * the async handle) and each pw-step thread (which may outlive a worker's environment while it
   * waits for its step). */
  unsigned refs;
  /* The timer thread sends a wake-up that is due: reports were queued without one, since when. */
  pthread_t timer;
  pthread_cond_t tick;
  int wake_due;
  struct timespec due_since;
} module_state_t;

/* How long a report that needs no action may wait for a wake-up that carries others too. */
#define REPORT_DELAY_MS 3

static void push(step_t **head, step_t **tail, step_t *s) {
  s->next = NULL;
  if (*tail) (*tail)->next = s;
  else *head = s;
  *tail = s;
}

static void push_report(report_t **head, report_t **tail, report_t *r) {
  r->next = NULL;
  if (*tail) (*tail)->next = r;
  else *head = r;
  *tail = r;
}

static void free_strings(char **items, uint32_t count) {
  if (!items) return;
  for (uint32_t i = 0; i < count; i++) free(items[i]);
  free(items);
}

static void free_step(step_t *s) {
  if (s->log_fd >= 0) close(s->log_fd);
  free(s->script);
  free(s->cwd);
  free(s->log_path);
  free_strings(s->envp, s->env_count);
  free_strings(s->dirs, s->dir_count);
  free(s);
}

static void free_pool(pool_t *pool) {
  free_strings(pool->base_env, pool->base_count);
  free(pool);
}

/* mkdir, and on ENOENT its parents first (mkdir -p); *created when `path` itself was made. */
static int make_folder(char *path, int *created) {
  if (mkdir(path, 0777) == 0) return *created = 1, 0;
  if (errno == EEXIST) return 0;
  if (errno != ENOENT) return errno;
  char *slash = strrchr(path, '/');
  if (!slash || slash == path) return ENOENT;
  *slash = '\0';
  int parent = 0;
  int failed = make_folder(path, &parent);
  *slash = '/';
  if (failed) return failed;
  if (mkdir(path, 0777) == 0) return *created = 1, 0;
  return errno == EEXIST ? 0 : errno;
}

/*
 * On a pw-step thread: the step's folders (with parents) and its log file, opened for appending.
 * Done for the next waiting steps while the running ones still run, so that when a slot frees
 * only the spawn stands between one step's end and the next one's start (on this machine's
 * ext4 the three new inodes took 60-100 us). A failure is kept and reported when its turn comes.
 */
static void prepare_step(step_t *s) {
  s->prepared = 1;
  for (uint32_t i = 0; i < s->dir_count; i++) {
    int created = 0;
    s->error = make_folder(s->dirs[i], &created);
    if (s->error) {
      s->what = "mkdir", s->where = s->dirs[i];
      return;
    }
    if (created && i < 32) s->made_dirs |= 1u << i;
  }
  s->log_fd = open(s->log_path, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (s->log_fd >= 0) s->made_log = 1;
  else if (errno == EEXIST) s->log_fd = open(s->log_path, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (s->log_fd < 0) s->error = errno, s->what = "open", s->where = s->log_path;
}

/* A prepared step that will never start: what was made for it goes (folders only if empty). */
static void unprepare_step(step_t *s) {
  if (s->log_fd >= 0) close(s->log_fd);
  s->log_fd = -1;
  if (s->made_log) unlink(s->log_path);
  for (uint32_t i = s->dir_count; i-- > 0;) {
    if (i < 32 && (s->made_dirs & (1u << i))) rmdir(s->dirs[i]);
  }
}

/* What the child needs of its parent's thread until it execs (that thread waits meanwhile). */
typedef struct child_args {
  const cpu_set_t *cpus; /* the step's CPUs (its thread is bound to one), or NULL: as is */
  char *script;
  const char *cwd;
  char **envp;
  int log;
  volatile int failure; /* errno of a failure before exec (the memory is shared) */
} child_args_t;

/*
 * In the child, on a stack of its own, sharing the runner's memory until it execs (so it makes
 * system calls only): every signal that is not at its default is set to it (a handler of the
 * runner must never run here, and an ignored signal would stay ignored in the step), a session
 * of its own, stdin from /dev/null, stdout and stderr to the log, the working folder, every CPU
 * the runner may use (its thread is bound to one), no signal blocked (the thread that cloned it
 * blocks them all, so none was deliverable until now), exec.
 */
static int child_main(void *arg) {
  child_args_t *a = (child_args_t *)arg;
  char *argv[] = {"/bin/sh", "-c", a->script, NULL};
  struct sigaction fallback, current;
  memset(&fallback, 0, sizeof fallback);
  fallback.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    if (sigaction(sig, NULL, &current) == 0 && current.sa_handler != SIG_DFL) sigaction(sig, &fallback, NULL);
  }
  sigset_t none;
  sigemptyset(&none);
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (setsid() < 0 || devnull < 0 || dup2(devnull, 0) < 0 || dup2(a->log, 1) < 0 || dup2(a->log, 2) < 0 || chdir(a->cwd) < 0) {
    a->failure = errno;
    _exit(127);
  }
  if (a->cpus) sched_setaffinity(0, sizeof(cpu_set_t), a->cpus);
  sigprocmask(SIG_SETMASK, &none, NULL);
  execve("/bin/sh", argv, a->envp);
  a->failure = errno;
  _exit(127);
}

/* The child's stack: one per pw-step thread, which starts one child at a time. */
#define CHILD_STACK (64 * 1024)

/*
 * On a pw-step thread, which keeps every signal blocked: clone with CLONE_VM | CLONE_VFORK (the
 * thread waits until the child has exec'd; no page table is copied) and no exit signal. The same
 * steps as posix_spawn with POSIX_SPAWN_SETSID | SETSIGDEF | SETSIGMASK and its file actions, but
 * with a child stack made once per thread instead of mapped and unmapped around each call (in a
 * process of many threads the unmap interrupts the other core). A failure before exec comes back
 * through `failure` with the child reaped.
 */
static pid_t start_process(char *stack, const cpu_set_t *cpus, char *script, const char *cwd, char **envp, int log, int *error) {
  child_args_t args = {.cpus = cpus, .script = script, .cwd = cwd, .envp = envp, .log = log, .failure = 0};
  pid_t pid = clone(child_main, stack + CHILD_STACK, CLONE_VM | CLONE_VFORK, &args);
  if (pid < 0) {
    *error = errno;
    return -1;
  }
  if (args.failure) {
    *error = args.failure;
    waitpid(pid, NULL, __WALL);
    return -1;
  }
  *error = 0;
  return pid;
}

/* The step's own variables, then its pool's base variables it does not set itself. */
static char **merged_env(step_t *s) {
  pool_t *pool = s->pool;
  char **envp = calloc(s->env_count + pool->base_count + 1, sizeof(char *));
  if (!envp) return NULL;
  uint32_t n = 0;
  for (uint32_t i = 0; i < s->env_count; i++) envp[n++] = s->envp[i];
  for (uint32_t i = 0; i < pool->base_count; i++) {
    const char *variable = pool->base_env[i];
    size_t name = strcspn(variable, "=");
    int overridden = 0;
    for (uint32_t j = 0; j < s->env_count && !overridden; j++) overridden = strncmp(s->envp[j], variable, name + 1) == 0;
    if (!overridden) envp[n++] = pool->base_env[i];
  }
  return envp;
}

/* On the step's thread: folders and log file (unless made ahead), the process. Touches no JavaScript. */
static void start_step(step_t *s, char *stack, const cpu_set_t *cpus) {
  s->pid = -1;
  if (!s->prepared) prepare_step(s);
  if (!s->error && !stack) s->error = ENOMEM, s->what = "spawn /bin/sh", s->where = NULL;
  if (s->error) return;
  char **envp = merged_env(s);
  s->pid = envp ? start_process(stack, cpus, s->script, s->cwd, envp, s->log_fd, &s->error) : -1;
  if (!envp) s->error = ENOMEM;
  free(envp);
  close(s->log_fd);
  s->log_fd = -1;
  /* A failure before exec (the working folder above all) is reported as the spawn's. */
  if (s->error) s->what = "spawn /bin/sh", s->where = s->cwd;
}

/*
 * On the step's thread: waits until the step's leader has exited (waitid on its pid alone, so
 * Node's own children are never touched), kills what is left of its process group while the
 * leader is still a zombie (its id, which is the group's, cannot have been reused yet), then
 * reaps the leader.
 */
static void wait_step(module_state_t *state, step_t *s) {
  siginfo_t info;
  int waited;
  do memset(&info, 0, sizeof info);
  while ((waited = waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOWAIT | __WALL)) != 0 && errno == EINTR);
  pthread_mutex_lock(&state->lock);
  for (step_t **link = &s->pool->started; *link; link = &(*link)->next) {
    if (*link != s) continue;
    *link = s->next;
    break;
  }
  pthread_mutex_unlock(&state->lock);
  if (waited != 0) {
    /* Reaped by someone else (a waitpid(-1) elsewhere in the process): its id may be reused
     * already, so nothing is killed, and it is reported as exit 255. */
    s->status = 255 << 8;
    return;
  }
  kill(-s->pid, SIGKILL);
  int status = 0;
  while (waitpid(s->pid, &status, __WALL) < 0 && errno == EINTR) {}
  s->status = status;
}

static void monotonic_after(struct timespec *at, const struct timespec *from, long ms) {
  at->tv_sec = from->tv_sec + ms / 1000;
  at->tv_nsec = from->tv_nsec + (ms % 1000) * 1000000L;
  if (at->tv_nsec >= 1000000000L) at->tv_sec++, at->tv_nsec -= 1000000000L;
}

/*
 * Queues a report for the event loop, and wakes it when it has something to do about it: a step
 * that could not start or did not exit 0 (the run may stop or retry), or a pool whose queue is
 * down to fewer steps than it may run (the event loop hands over the next ones). Otherwise the
 * wake-up is due within REPORT_DELAY_MS (the timer thread sends it): a step that started and one
 * that ended 0 while the queue is full are reported together with the next ones, in one wake-up.
 * The event loop is one of the threads that share the machine's cores with the steps, and every
 * wake-up costs it a turn on one of them; make wakes once per step, and here one wake-up serves
 * several. The step may be freed by the event loop as soon as the lock is released.
 */
static void report(module_state_t *state, step_t *s, int ended) {
  report_t *r = calloc(1, sizeof(report_t));
  r->step = s;
  r->ended = ended;
  pthread_mutex_lock(&state->lock);
  if (state->stopping) {
    /* The environment is gone: nobody will read it (a started step is reported again). */
    pthread_mutex_unlock(&state->lock);
    if (ended || s->error) free_step(s);
    free(r);
    return;
  }
  push_report(&state->done, &state->done_tail, r);
  int urgent = s->error || (ended && s->status != 0) || s->pool->closed || s->pool->queued < s->pool->limit;
  if (urgent) state->wake_due = 0;
  else if (!state->wake_due) {
    state->wake_due = 1;
    clock_gettime(CLOCK_MONOTONIC, &state->due_since);
    pthread_cond_signal(&state->tick);
  }
  pthread_mutex_unlock(&state->lock);
  if (urgent) uv_async_send(&state->async);
}

/* Sends each due wake-up once REPORT_DELAY_MS have passed since its first report. */
static void *timer_thread(void *arg) {
  module_state_t *state = (module_state_t *)arg;
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  pthread_mutex_lock(&state->lock);
  while (!state->stopping) {
    if (!state->wake_due) {
      pthread_cond_wait(&state->tick, &state->lock);
      continue;
    }
    struct timespec deadline, now;
    monotonic_after(&deadline, &state->due_since, REPORT_DELAY_MS);
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec < deadline.tv_sec || (now.tv_sec == deadline.tv_sec && now.tv_nsec < deadline.tv_nsec)) {
      pthread_cond_timedwait(&state->tick, &state->lock, &deadline);
      continue;
    }
    state->wake_due = 0;
    uv_async_send(&state->async);
  }
  pthread_mutex_unlock(&state->lock);
  return NULL;
}

/* Under the lock: gives a pool with a waiting step and room a thread for it (see below). */
static int staff_pool(module_state_t *state, pool_t *pool);

/* Drops a reference to the state (under its lock); frees it with the last one. */
static void release_state(module_state_t *state);

/*
 * Under the lock: the first waiting step of the next `limit` of the pool whose folders and log
 * are not made, marked as being made (by the caller, outside the lock), or NULL.
 */
static step_t *claim_ahead(pool_t *pool) {
  uint32_t n = 0;
  for (step_t *t = pool->todo; t && n < pool->limit; t = t->next, n++) {
    if (t->prepared || t->preparing) continue;
    t->preparing = 1;
    return t;
  }
  return NULL;
}

/* Outside the lock: makes a claimed step's files; it may have been withdrawn or taken meanwhile. */
static void prepare_ahead(module_state_t *state, pool_t *pool, step_t *ahead) {
  prepare_step(ahead);
  pthread_mutex_lock(&state->lock);
  ahead->preparing = 0;
  int dropped = ahead->discarded;
  if (ahead->awaited) pthread_cond_broadcast(&pool->work);
  pthread_mutex_unlock(&state->lock);
  if (dropped) {
    unprepare_step(ahead);
    free_step(ahead);
  }
}

/* Under the lock: unlinks a pool from the module and frees it. */
static void drop_pool(module_state_t *state, pool_t *pool) {
  for (pool_t **link = &state->pools; *link; link = &(*link)->next) {
    if (*link != pool) continue;
    *link = pool->next;
    break;
  }
  pthread_cond_destroy(&pool->work);
  free_pool(pool);
}

/* What a pw-step thread is made with: its pool, and which of the pool's threads it is. */
typedef struct step_thread_args {
  pool_t *pool;
  uint32_t slot;
} step_thread_args_t;

/*
 * Binds the calling pw-step thread to one of the pool's CPUs (slot i to the i-th, round the
 * set); 1 when it did. A step then starts on its thread's CPU, where the kernel made its child,
 * and ends there; the thread, woken by that end, runs on the core the step just left instead of
 * queueing behind the other core's step while this one idles. Unbound, it was measured waiting
 * 0.3-0.7 ms for a core about once in eight steps: the waking task is placed on the core it last
 * ran on, and an idle core here does not pull it over (its idle spells are shorter than the
 * scheduler's migration cost). The step itself runs on every CPU of the pool (see child_main).
 */
static int bind_to_slot_cpu(const pool_t *pool, uint32_t slot) {
  if (pool->cpu_count < 2) return 0;
  int wanted = (int)(slot % (uint32_t)pool->cpu_count), seen = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
    if (!CPU_ISSET(cpu, &pool->cpus) || seen++ != wanted) continue;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
  }
  return 0;
}

/*
 * A pw-step thread: takes the pool's next waiting step, starts it, makes a later step's files
 * while it runs, waits for it, reports, and takes the next; sleeps while the pool has none, and
 * ends with the pool (closed and empty) or the environment.
 */
static void *step_thread(void *arg) {
  step_thread_args_t *args = (step_thread_args_t *)arg;
  pool_t *pool = args->pool;
  const cpu_set_t *cpus = bind_to_slot_cpu(pool, args->slot) ? &pool->cpus : NULL;
  free(args);
  module_state_t *state = pool->state;
  /* No signal is handled on this thread, and a child starts with none deliverable. */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  char *stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) stack = NULL; /* its steps are reported as failed to start */
  pthread_mutex_lock(&state->lock);
  while (!state->stopping) {
    step_t *s = pool->todo;
    if (!s) {
      if (pool->closed) break;
      pthread_cond_wait(&pool->work, &state->lock);
      continue;
    }
    pool->todo = s->next;
    if (!pool->todo) pool->todo_tail = NULL;
    pool->queued--;
    pool->running++;
    /* More waiting steps with room: make sure another thread comes for the next one. The event
     * loop may have handed over several at once while this thread was waking up for the first,
     * and a wake-up sent to a thread already woken is lost. */
    if (pool->todo) staff_pool(state, pool);
    /* Another thread is making its files: wait for them. */
    while (s->preparing) {
      s->awaited = 1;
      pthread_cond_wait(&pool->work, &state->lock);
    }
    pthread_mutex_unlock(&state->lock);
    start_step(s, stack, cpus);
    int started = !s->error;
    pthread_mutex_lock(&state->lock);
    if (started) {
      s->next = pool->started;
      pool->started = s;
    }
    step_t *ahead = started ? claim_ahead(pool) : NULL;
    pthread_mutex_unlock(&state->lock);
    /* Reported as started (or failed) now, and a started step again when it ends; the event loop
     * frees it after the last report. */
    report(state, s, 0);
    if (started) {
      if (ahead) prepare_ahead(state, pool, ahead);
      wait_step(state, s);
      report(state, s, 1);
    }
    pthread_mutex_lock(&state->lock);
    pool->running--;
  }
  if (stack) munmap(stack, CHILD_STACK);
  if (--pool->threads == 0 && (pool->closed || state->stopping)) {
    /* Steps still waiting in a pool whose environment is gone are dropped with it. */
    while (pool->todo) {
      step_t *after = pool->todo->next;
      if (!pool->todo->preparing) free_step(pool->todo);
      pool->todo = after;
    }
    drop_pool(state, pool);
  }
  release_state(state);
  return NULL;
}

/*
 * Under the lock, on the event loop or a pool's thread: a pool with a waiting step and room gets
 * a thread for it, an idle one (it takes the step when it wakes) or a new one (at most `limit`).
 * A thread that takes a step calls it again while steps wait, so a wake-up lost on a thread that
 * was already waking costs nothing. Returns 0, or an errno when the pool has no thread at all and
 * none could be made.
 */
static int staff_pool(module_state_t *state, pool_t *pool) {
  if (pool->running >= pool->limit) return 0; /* a step that ends starts the next one */
  if (pool->threads > pool->running) {
    pthread_cond_signal(&pool->work);
    return 0;
  }
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  pthread_attr_setstacksize(&attr, 256 * 1024);
  pthread_t thread;
  step_thread_args_t *args = malloc(sizeof *args);
  int failed = args ? 0 : ENOMEM;
  if (args) {
    *args = (step_thread_args_t){.pool = pool, .slot = pool->threads};
    failed = pthread_create(&thread, &attr, step_thread, args);
    if (failed) free(args);
  }
  pthread_attr_destroy(&attr);
  if (failed) return pool->threads ? 0 : failed;
  pthread_setname_np(thread, "pw-step"); /* as `ps -L` and profilers show it */
  pool->threads++;
  state->refs++;
  return 0;
}

static void call(napi_env env, napi_async_context context, napi_value callback, size_t argc, napi_value *argv) {
  napi_value global, result;
  napi_get_global(env, &global);
  /* make_callback, not call_function: promise reactions run right after, as for any I/O callback. */
  if (napi_make_callback(env, context, global, callback, argc, argv, &result) == napi_pending_exception) {
    napi_value error;
    napi_get_and_clear_last_exception(env, &error);
    napi_fatal_exception(env, error);
  }
}

/*
 * On the event loop: tell JavaScript what the step threads did, in the order they did it, in one
 * call of the dispatcher (onReports) per wake-up: an Int32Array of four numbers per report,
 * [id, kind, a, b] with kind 0 started (a: pid), 1 could not start (a: index into the messages),
 * 2 ended (a: exit code, b: 0; or a: -1, b: the signal that ended it), and the messages.
 */
static void on_reports(uv_async_t *async) {
  module_state_t *state = (module_state_t *)async->data;
  napi_env env = state->env;
  pthread_mutex_lock(&state->lock);
  report_t *first = state->done;
  state->done = state->done_tail = NULL;
  pthread_mutex_unlock(&state->lock);
  if (!first) return;
  size_t count = 0, failures = 0;
  for (report_t *r = first; r; r = r->next) {
    count++;
    if (!r->ended && r->step->error) failures++;
  }
  napi_handle_scope scope = NULL;
  if (napi_open_handle_scope(env, &scope) != napi_ok) scope = NULL;
  void *data = NULL;
  napi_value buffer, reports, messages, dispatch, argv[2];
  /* During a worker's teardown libuv may still run this once, when no JavaScript can be made or
   * called: the reports are then only freed. */
  int deliver = scope && napi_create_arraybuffer(env, count * 4 * sizeof(int32_t), &data, &buffer) == napi_ok && data &&
                napi_create_typedarray(env, napi_int32_array, count * 4, buffer, 0, &reports) == napi_ok &&
                napi_create_array_with_length(env, failures, &messages) == napi_ok;
  int32_t *out = deliver ? (int32_t *)data : NULL;
  uint32_t failure = 0;
  for (report_t *r = first; r;) {
    report_t *next = r->next;
    step_t *s = r->step;
    int finished = 1;
    if (!out) {
      finished = r->ended || s->error;
    } else {
      out[0] = (int32_t)s->id;
      if (r->ended) {
        out[1] = 2;
        out[2] = WIFSIGNALED(s->status) ? -1 : WEXITSTATUS(s->status);
        out[3] = WIFSIGNALED(s->status) ? WTERMSIG(s->status) : 0;
      } else if (s->error) {
        char text[4352];
        snprintf(text, sizeof text, "%s: %s%s%s", s->what, strerror(s->error), s->where ? " " : "", s->where ? s->where : "");
        napi_value message;
        napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &message);
        napi_set_element(env, messages, failure, message);
        out[1] = 1, out[2] = (int32_t)failure++, out[3] = 0;
      } else {
        out[1] = 0, out[2] = s->pid, out[3] = 0;
        finished = 0;
      }
      out += 4;
    }
    free(r);
    if (finished) {
      free_step(s);
      if (--state->in_flight == 0) uv_unref((uv_handle_t *)&state->async);
    }
    r = next;
  }
  if (deliver && state->dispatch && napi_get_reference_value(env, state->dispatch, &dispatch) == napi_ok && dispatch) {
    argv[0] = reports;
    argv[1] = messages;
    call(env, state->context, dispatch, 2, argv);
  }
  if (scope) napi_close_handle_scope(env, scope);
}

static void release_state(module_state_t *state) {
  int last = --state->refs == 0;
  pthread_mutex_unlock(&state->lock);
  if (!last) return;
  pthread_cond_destroy(&state->tick);
  pthread_mutex_destroy(&state->lock);
  free(state);
}

/* libuv has closed the async handle: the environment's reference goes. */
static void async_closed(uv_handle_t *handle) {
  module_state_t *state = (module_state_t *)handle->data;
  pthread_mutex_lock(&state->lock);
  release_state(state);
}

/*
 * The environment is going away (a worker ending): idle threads end, waiting steps are dropped,
 * running steps are left alone (their threads reap them and end, and report nothing).
 */
static void cleanup_env(void *arg) {
  module_state_t *state = (module_state_t *)arg;
  pthread_mutex_lock(&state->lock);
  if (!state->started) {
    release_state(state);
    return;
  }
  state->stopping = 1;
  pthread_cond_signal(&state->tick);
  for (pool_t *pool = state->pools; pool; pool = pool->next) pthread_cond_broadcast(&pool->work);
  pthread_mutex_unlock(&state->lock);
  pthread_join(state->timer, NULL);
  pthread_mutex_lock(&state->lock);
  for (pool_t *pool = state->pools, *next; pool; pool = next) {
    next = pool->next;
    if (pool->threads) continue; /* its last thread drops it */
    while (pool->todo) {
      step_t *after = pool->todo->next;
      free_step(pool->todo);
      pool->todo = after;
    }
    drop_pool(state, pool);
  }
  /* Reports not delivered: their steps are freed with the last one (started steps still run). */
  while (state->done) {
    report_t *next = state->done->next;
    if (state->done->ended || state->done->step->error) free_step(state->done->step);
    free(state->done);
    state->done = next;
  }
  pthread_mutex_unlock(&state->lock);
  napi_async_destroy(state->env, state->context);
  if (state->dispatch) napi_delete_reference(state->env, state->dispatch);
  /* libuv holds the async handle until it is closed: the state lives until then. */
  uv_close((uv_handle_t *)&state->async, async_closed);
}

/* With the first pool: the async handle reports arrive through, and the timer thread. */
static int start_module(napi_env env, module_state_t *state) {
  uv_loop_t *loop = NULL;
  napi_get_uv_event_loop(env, &loop);
  state->env = env;
  if (uv_async_init(loop, &state->async, on_reports) != 0) return -1;
  state->async.data = state;
  uv_unref((uv_handle_t *)&state->async);
  if (pthread_create(&state->timer, NULL, timer_thread, state) != 0) {
    uv_close((uv_handle_t *)&state->async, NULL);
    return -1;
  }
  pthread_setname_np(state->timer, "pw-spawn"); /* as `ps -L` and profilers show it */
  napi_value name;
  napi_create_string_utf8(env, "pipewright.step", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &state->context);
  state->started = 1;
  return 0;
}

static char *string_arg(napi_env env, napi_value value, const char *what) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  char *text = malloc(length + 1);
  if (text) napi_get_value_string_utf8(env, value, text, length + 1, &length);
  return text;
}

static char **string_array_arg(napi_env env, napi_value value, uint32_t *count, const char *what) {
  bool is_array = false;
  napi_is_array(env, value, &is_array);
  if (!is_array) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  napi_get_array_length(env, value, count);
  char **items = calloc(*count + 1, sizeof(char *));
  for (uint32_t i = 0; items && i < *count; i++) {
    napi_value item;
    napi_get_element(env, value, i, &item);
    items[i] = string_arg(env, item, what);
    if (!items[i]) {
      free_strings(items, i);
      return NULL;
    }
  }
  return items;
}

static pool_t *pool_arg(napi_env env, napi_value value) {
  pool_t *pool = NULL;
  napi_valuetype type = napi_undefined;
  napi_typeof(env, value, &type);
  if (type != napi_external || napi_get_value_external(env, value, (void **)&pool) != napi_ok || !pool || pool->closed) {
    napi_throw_type_error(env, NULL, "an open pool from pool(limit)");
    return NULL;
  }
  return pool;
}

/* pool(limit, baseEnv) -> a handle steps are spawned into, at most `limit` of them running at
 * once, each with the base environment under its own variables (handed over once per run, not
 * per step: the CLI passes its whole environment on). */
static napi_value Pool(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], handle;
  module_state_t *state;
  napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&state);
  uint32_t limit = 0;
  if (argc < 2 || napi_get_value_uint32(env, argv[0], &limit) != napi_ok || limit == 0) {
    napi_throw_type_error(env, NULL, "pool(limit, baseEnv) needs a positive limit");
    return NULL;
  }
  uint32_t base_count = 0;
  char **base_env = string_array_arg(env, argv[1], &base_count, "baseEnv must be an array of strings");
  if (!base_env) return NULL;
  if (!state->started && start_module(env, state) != 0) {
    free_strings(base_env, base_count);
    napi_throw_error(env, NULL, "could not start the spawner's timer thread");
    return NULL;
  }
  pool_t *pool = calloc(1, sizeof(pool_t));
  pool->state = state;
  pthread_cond_init(&pool->work, NULL);
  if (sched_getaffinity(0, sizeof pool->cpus, &pool->cpus) == 0) pool->cpu_count = CPU_COUNT(&pool->cpus);
  pool->limit = limit;
  pool->base_env = base_env;
  pool->base_count = base_count;
  pthread_mutex_lock(&state->lock);
  pool->next = state->pools;
  state->pools = pool;
  pthread_mutex_unlock(&state->lock);
  napi_create_external(env, pool, NULL, NULL, &handle);
  return handle;
}

/* The pool a call names first (its other arguments go to argv), or NULL with a TypeError thrown. */
static pool_t *pool_call(napi_env env, napi_callback_info info, size_t count, napi_value *argv, module_state_t **state) {
  size_t argc = count;
  napi_get_cb_info(env, info, &argc, argv, NULL, (void **)state);
  if (argc == count) return pool_arg(env, argv[0]);
  napi_throw_type_error(env, NULL, "missing arguments");
  return NULL;
}

/* closePool(pool): no more steps; it is freed once its running steps have ended. */
static napi_value ClosePool(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  module_state_t *state;
  pool_t *pool = pool_call(env, info, 1, argv, &state);
  if (!pool) return NULL;
  pthread_mutex_lock(&state->lock);
  pool->closed = 1;
  if (pool->threads) pthread_cond_broadcast(&pool->work); /* idle ones end; the last drops it */
  else drop_pool(state, pool);
  pthread_mutex_unlock(&state->lock);
  return NULL;
}

/* discard(pool, id) -> true when that step had not started yet and never will. */
static napi_value Discard(napi_env env, napi_callback_info info) {
  napi_value argv[2], result;
  module_state_t *state;
  pool_t *pool = pool_call(env, info, 2, argv, &state);
  uint32_t id = 0;
  if (!pool || napi_get_value_uint32(env, argv[1], &id) != napi_ok) return NULL;
  step_t *found = NULL;
  int later = 0; /* a step thread is making its files: it undoes them and frees it */
  pthread_mutex_lock(&state->lock);
  for (step_t **link = &pool->todo, *previous = NULL; *link; previous = *link, link = &(*link)->next) {
    if ((*link)->id != id) continue;
    found = *link;
    *link = found->next;
    if (pool->todo_tail == found) pool->todo_tail = previous;
    pool->queued--;
    later = found->preparing;
    if (later) found->discarded = 1;
    break;
  }
  pthread_mutex_unlock(&state->lock);
  if (found) {
    if (!later) {
      if (found->prepared) unprepare_step(found);
      free_step(found);
    }
    if (--state->in_flight == 0) uv_unref((uv_handle_t *)&state->async);
  }
  napi_get_boolean(env, found != NULL, &result);
  return result;
}

/*
 * signal(pool, id, signal) -> true when the step's process group was sent the signal: it has
 * started and its leader has not been reaped. Under the lock that its thread takes before
 * it reaps, so the group's id cannot have been reused by an unrelated process (kill(-pid) from
 * JavaScript could, once the step has ended and before its report arrives).
 */
static napi_value Signal(napi_env env, napi_callback_info info) {
  napi_value argv[3], result;
  module_state_t *state;
  pool_t *pool = pool_call(env, info, 3, argv, &state);
  uint32_t id = 0;
  int32_t signal = 0;
  if (!pool || napi_get_value_uint32(env, argv[1], &id) != napi_ok || napi_get_value_int32(env, argv[2], &signal) != napi_ok) return NULL;
  int sent = 0;
  pthread_mutex_lock(&state->lock);
  for (step_t *s = pool->started; s; s = s->next) {
    if (s->id != id) continue;
    if (s->pid > 0) sent = kill(-s->pid, signal) == 0;
    break;
  }
  pthread_mutex_unlock(&state->lock);
  napi_get_boolean(env, sent, &result);
  return result;
}

/*
 * onReports(dispatch): every report of this module's steps goes to dispatch(reports, messages)
 * (see on_reports), one call per wake-up of the event loop.
 */
static napi_value OnReports(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  module_state_t *state;
  napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&state);
  napi_valuetype type = napi_undefined;
  if (argc == 1) napi_typeof(env, argv[0], &type);
  if (type != napi_function) {
    napi_throw_type_error(env, NULL, "onReports(dispatch) needs a function");
    return NULL;
  }
  if (state->dispatch) napi_delete_reference(env, state->dispatch);
  napi_create_reference(env, argv[0], 1, &state->dispatch);
  return NULL;
}

/* spawn(pool, script, cwd, env, logFile, dirs) -> id (its reports name it; for discard, signal) */
static napi_value Spawn(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  module_state_t *state;
  napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&state);
  if (argc != 6 || !state->dispatch) {
    napi_throw_type_error(env, NULL, state->dispatch ? "spawn(pool, script, cwd, env, logFile, dirs)" : "onReports(dispatch) must be called first");
    return NULL;
  }
  pool_t *pool = pool_arg(env, argv[0]);
  if (!pool) return NULL;
  step_t *s = calloc(1, sizeof(step_t));
  s->log_fd = -1;
  s->script = string_arg(env, argv[1], "script must be a string");
  s->cwd = s->script ? string_arg(env, argv[2], "cwd must be a string") : NULL;
  s->envp = s->cwd ? string_array_arg(env, argv[3], &s->env_count, "env must be an array of strings") : NULL;
  s->log_path = s->envp ? string_arg(env, argv[4], "logFile must be a string") : NULL;
  s->dirs = s->log_path ? string_array_arg(env, argv[5], &s->dir_count, "dirs must be an array of strings") : NULL;
  if (!s->dirs) {
    free_step(s);
    return NULL;
  }
  s->pool = pool;
  s->id = ++state->next_id;
  if (state->in_flight++ == 0) uv_ref((uv_handle_t *)&state->async);
  pthread_mutex_lock(&state->lock);
  push(&pool->todo, &pool->todo_tail, s);
  pool->queued++;
  int failed = staff_pool(state, pool);
  if (failed) {
    /* No thread at all could be made: it is the only step waiting (any other has a thread). */
    pool->todo = pool->todo_tail = NULL;
    pool->queued = 0;
  }
  pthread_mutex_unlock(&state->lock);
  if (failed) {
    free_step(s);
    if (--state->in_flight == 0) uv_unref((uv_handle_t *)&state->async);
    napi_throw_error(env, NULL, "could not start a thread for the step");
    return NULL;
  }
  napi_value id;
  napi_create_uint32(env, s->id, &id);
  return id;
}

NAPI_MODULE_INIT() {
  module_state_t *state = calloc(1, sizeof(module_state_t));
  pthread_mutex_init(&state->lock, NULL);
  pthread_condattr_t monotonic;
  pthread_condattr_init(&monotonic);
  pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
  pthread_cond_init(&state->tick, &monotonic);
  pthread_condattr_destroy(&monotonic);
  state->refs = 1;
  napi_add_env_cleanup_hook(env, cleanup_env, state);
  const struct {
    const char *name;
    napi_callback callback;
  } functions[] = {{"pool", Pool}, {"closePool", ClosePool}, {"spawn", Spawn}, {"discard", Discard}, {"signal", Signal}, {"onReports", OnReports}};
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value fn;
    napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].callback, state, &fn);
    napi_set_named_property(env, exports, functions[i].name, fn);
  }
  return exports;
}
