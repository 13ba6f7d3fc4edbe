/*
 * pw-spawn: starts step processes for the runner, as cheaply as make does, off its event loop.
 *
 * Each step is `/bin/sh -c <script>` started with vfork (so no page table of the runner is
 * copied however large it grows; see start_process), as the leader of its own session and
 * process group (setsid), stdin from /dev/null, stdout and stderr appended to its log file, every
 * signal at its default disposition and none blocked, in its working folder.
 *
 * All of that, and waiting for the step, happens on one thread of this module's own (named
 * pw-spawn): it makes the folders and log file of the next waiting steps while the running ones
 * run (on this machine's file system an inode can cost a quarter of a millisecond), spawns (the
 * caller of vfork waits until the child has exec'd: ~0.2 ms here), and watches every
 * running step through a pidfd in its own epoll set. When a step ends the thread kills what is
 * left of its process group (the leader is still a zombie then, so the group id cannot have been
 * reused), reaps the leader with waitpid on that pid alone (Node's own children are never
 * touched), and reports to the event loop (uv_async), which calls back into JavaScript once per
 * wake-up with every report since the last. The event loop meanwhile does the runner's
 * bookkeeping for other steps.
 *
 * Steps go into a pool with a limit (a run's concurrency): the event loop may hand it more steps
 * than the limit, and the spawn thread starts the next one as soon as a running one has ended,
 * without a round trip through the event loop. While the pool holds more waiting steps than it
 * may run, starts and clean ends wait up to REPORT_DELAY_MS for a wake-up that carries several:
 * the event loop is one more thread competing with the steps for the cores.
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
 *   supported() -> true when this kernel has pidfd_open (Linux 5.3+).
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
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>

#include <node_api.h>
#include <uv.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

struct pool;

/* One step, from spawn() until its exit has been reported. */
typedef struct step {
  struct step *next; /* in its pool's queue of steps to start, then in its list of running ones */
  struct pool *pool;
  uint32_t id;
  char *script, *cwd, *log_path;
  char **envp, **dirs;
  uint32_t env_count, dir_count;
  /* Written by the spawn thread. */
  pid_t pid;
  int pidfd;
  int error; /* errno of a failed start */
  const char *what, *where;
  int status; /* waitpid status once ended */
  /* Made ready before its turn: folders and log file (see prepare_step). */
  int prepared, preparing, discarded; /* preparing, discarded: under the lock */
  int log_fd, made_log;
  uint32_t made_dirs; /* bit i: dirs[i] was created for this step */
} step_t;

/*
 * Steps started together with at most `limit` running at once (one pool per run): the event loop
 * hands a pool its next steps before a slot is free, and the spawn thread starts the next one the
 * moment a running one has ended, without waiting for the event loop.
 */
typedef struct pool {
  struct pool *next;
  char **base_env; /* "K=V" every step of the pool gets unless it sets K itself */
  uint32_t base_count;
  uint32_t limit, running; /* running: changed by the spawn thread, under the lock */
  step_t *todo, *todo_tail;
  uint32_t queued;   /* steps in todo */
  /* Steps started and not yet reaped, for signal(): a step leaves it, under the lock, before its
   * leader is reaped (after which its id may be reused). */
  step_t *started;
  int closed; /* its handle is gone: free once nothing of it is left */
} pool_t;

/* What the spawn thread tells the event loop: a step started (or could not), or ended. */
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
  pthread_t thread;
  pthread_mutex_t lock;
  int epoll, wake; /* the thread's epoll set, and the eventfd that wakes it */
  pool_t *pools;             /* each with its steps to start (event loop -> thread) */
  uint32_t next_id;
  report_t *done, *done_tail; /* thread -> event loop */
  unsigned in_flight;       /* steps not yet reported ended or failed: keep the loop alive */
  napi_ref dispatch;        /* the JavaScript function every batch of reports goes to */
  int started, stopping;
  /* Spawn thread only: reports are queued that the event loop was not woken for, since when. */
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
 * On the spawn thread: the step's folders (with parents) and its log file, opened for appending.
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

/*
 * On the spawn thread, which keeps every signal blocked: vfork, and in the child (which shares
 * this process's memory and runs on this thread's stack until it execs, so it makes system calls
 * only) every signal that is not at its default is set to it, a session of its own, stdin from
 * /dev/null, stdout and stderr to the log, the working folder, no signal blocked, exec. The same
 * steps as posix_spawn with POSIX_SPAWN_SETSID | SETSIGDEF | SETSIGMASK and its file actions, but
 * without the child stack glibc maps and unmaps around each call (in a process of many threads
 * the unmap interrupts the other core): measured here 10-15 % less time until the child has
 * exec'd, and ~15 us less of this thread's CPU per step. A failure before exec comes back through
 * `failure` (the memory is shared) with the child reaped.
 */
static pid_t start_process(char *script, const char *cwd, char **envp, int log, int *error) {
  char *argv[] = {"/bin/sh", "-c", script, NULL};
  volatile int failure = 0;
  pid_t pid = vfork();
  if (pid == 0) {
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
    if (setsid() < 0 || devnull < 0 || dup2(devnull, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0 || chdir(cwd) < 0) {
      failure = errno;
      _exit(127);
    }
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve("/bin/sh", argv, envp);
    failure = errno;
    _exit(127);
  }
  if (pid < 0) {
    *error = errno;
    return -1;
  }
  if (failure) {
    *error = failure;
    waitpid(pid, NULL, 0);
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

/* On the spawn thread: folders and log file (unless made ahead), the process, its pidfd. Touches no JavaScript. */
static void start_step(module_state_t *state, step_t *s) {
  s->pid = -1;
  s->pidfd = -1;
  if (!s->prepared) prepare_step(s);
  if (s->error) return;
  char **envp = merged_env(s);
  s->pid = envp ? start_process(s->script, s->cwd, envp, s->log_fd, &s->error) : -1;
  if (!envp) s->error = ENOMEM;
  free(envp);
  close(s->log_fd);
  s->log_fd = -1;
  /* A failure before exec (the working folder above all) is reported as the spawn's. */
  if (s->error) {
    s->what = "spawn /bin/sh", s->where = s->cwd;
    return;
  }
  s->pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = s};
  if (s->pidfd < 0 || epoll_ctl(state->epoll, EPOLL_CTL_ADD, s->pidfd, &event) != 0) {
    /* Started but cannot be watched: stop it rather than leave it running unobserved. */
    s->error = errno, s->what = "watch", s->where = NULL;
    kill(-s->pid, SIGKILL);
    waitpid(s->pid, NULL, 0);
    if (s->pidfd >= 0) close(s->pidfd);
    s->pid = -1;
  }
}

/*
 * On the spawn thread: the step's pidfd is readable, so its leader has exited. What is left of
 * its process group is killed while the leader is still a zombie (its id, which is the group's,
 * cannot have been reused yet), then the leader is reaped. 1 when the step has ended.
 */
static int end_step(module_state_t *state, step_t *s) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  if (waitid(P_PID, (id_t)s->pid, &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0) return 0;
  pthread_mutex_lock(&state->lock);
  s->pool->running--;
  for (step_t **link = &s->pool->started; *link; link = &(*link)->next) {
    if (*link != s) continue;
    *link = s->next;
    break;
  }
  pthread_mutex_unlock(&state->lock);
  kill(-s->pid, SIGKILL);
  int status = 0;
  waitpid(s->pid, &status, 0);
  epoll_ctl(state->epoll, EPOLL_CTL_DEL, s->pidfd, NULL);
  close(s->pidfd);
  s->status = status;
  return 1;
}

/*
 * Queues a report for the event loop, and wakes it when it has something to do about it: a step
 * that could not start or did not exit 0 (the run may stop or retry), or a pool whose queue is
 * down to fewer steps than it may run (the event loop hands over the next ones). Otherwise the
 * wake-up is due within REPORT_DELAY_MS: a step that started and one that ended 0 while the
 * queue is full are reported together with the next ones, in one wake-up. The event loop is one
 * of the threads that share the machine's cores with the steps, and every wake-up costs it a turn
 * on one of them; make wakes once per step, and here one wake-up serves several.
 */
static void report(module_state_t *state, step_t *s, int ended) {
  report_t *r = calloc(1, sizeof(report_t));
  r->step = s;
  r->ended = ended;
  pthread_mutex_lock(&state->lock);
  push_report(&state->done, &state->done_tail, r);
  int urgent = s->error || (ended && s->status != 0) || s->pool->closed || s->pool->queued < s->pool->limit;
  pthread_mutex_unlock(&state->lock);
  if (urgent) {
    state->wake_due = 0;
    uv_async_send(&state->async);
  } else if (!state->wake_due) {
    state->wake_due = 1;
    clock_gettime(CLOCK_MONOTONIC, &state->due_since);
  }
}

/* Milliseconds until a due wake-up must be sent (0: now), or -1 when none is due. */
static int wake_timeout(module_state_t *state) {
  if (!state->wake_due) return -1;
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  long waited = (now.tv_sec - state->due_since.tv_sec) * 1000 + (now.tv_nsec - state->due_since.tv_nsec) / 1000000;
  if (waited < REPORT_DELAY_MS) return (int)(REPORT_DELAY_MS - waited);
  state->wake_due = 0;
  uv_async_send(&state->async);
  return -1;
}

static void *spawn_thread(void *arg) {
  module_state_t *state = (module_state_t *)arg;
  /* No signal is handled on this thread, and a vfork child starts with none deliverable. */
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, NULL);
  struct epoll_event events[64];
  int more_ahead = 0; /* a waiting step could still be prepared: look at ends, then go on */
  for (;;) {
    int timeout = wake_timeout(state);
    int ready = epoll_wait(state->epoll, events, 64, more_ahead ? 0 : timeout);
    if (ready < 0 && errno != EINTR) break;
    for (int i = 0; i < ready; i++) {
      if (events[i].data.ptr == NULL) {
        uint64_t count;
        if (read(state->wake, &count, sizeof count) < 0) { /* nothing to read: fine */ }
        continue;
      }
      step_t *s = (step_t *)events[i].data.ptr;
      if (end_step(state, s)) report(state, s, 1);
    }
    wake_timeout(state);
    pthread_mutex_lock(&state->lock);
    if (state->stopping) {
      pthread_mutex_unlock(&state->lock);
      break;
    }
    for (pool_t **link = &state->pools; *link;) {
      pool_t *pool = *link;
      while (pool->running < pool->limit && pool->todo) {
        step_t *s = pool->todo;
        pool->todo = s->next;
        if (!pool->todo) pool->todo_tail = NULL;
        pool->queued--;
        pthread_mutex_unlock(&state->lock);
        start_step(state, s);
        if (!s->error) {
          pthread_mutex_lock(&state->lock);
          pool->running++;
          s->next = pool->started;
          pool->started = s;
          pthread_mutex_unlock(&state->lock);
        }
        /* Reported as started (or failed) now, and a started step again when it ends; the
         * event loop frees it after the last report. */
        report(state, s, 0);
        pthread_mutex_lock(&state->lock);
      }
      if (pool->closed && !pool->running && !pool->todo) {
        *link = pool->next;
        free_pool(pool);
      } else link = &pool->next;
    }
    /* The first waiting step (of the next `limit` of a pool) whose folders and log are not made. */
    step_t *ahead = NULL;
    for (pool_t *pool = state->pools; pool && !ahead; pool = pool->next) {
      uint32_t n = 0;
      for (step_t *t = pool->todo; t && n < pool->limit && !ahead; t = t->next, n++) {
        if (!t->prepared && !t->preparing) ahead = t;
      }
    }
    if (ahead) ahead->preparing = 1;
    pthread_mutex_unlock(&state->lock);
    more_ahead = ahead != NULL;
    if (ahead) {
      /* One at a time, so a step that ends meanwhile waits for one step's files at most. */
      prepare_step(ahead);
      pthread_mutex_lock(&state->lock);
      ahead->preparing = 0;
      int dropped = ahead->discarded;
      pthread_mutex_unlock(&state->lock);
      if (dropped) {
        unprepare_step(ahead);
        free_step(ahead);
      }
    }
  }
  return NULL;
}

/* Wakes the spawn thread to look at its queues (a full counter means it is awake already). */
static void wake_thread(module_state_t *state) {
  uint64_t one = 1;
  if (write(state->wake, &one, sizeof one) < 0) { /* EAGAIN: already due to wake */ }
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
 * On the event loop: tell JavaScript what the spawn thread did, in the order it did it, in one
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
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  void *data = NULL;
  napi_value buffer, reports, messages, dispatch, argv[2];
  napi_create_arraybuffer(env, count * 4 * sizeof(int32_t), &data, &buffer);
  napi_create_typedarray(env, napi_int32_array, count * 4, buffer, 0, &reports);
  napi_create_array_with_length(env, failures, &messages);
  int32_t *out = (int32_t *)data;
  uint32_t failure = 0;
  for (report_t *r = first; r;) {
    report_t *next = r->next;
    step_t *s = r->step;
    int finished = 1;
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
    free(r);
    if (finished) {
      free_step(s);
      if (--state->in_flight == 0) uv_unref((uv_handle_t *)&state->async);
    }
    r = next;
  }
  argv[0] = reports;
  argv[1] = messages;
  if (state->dispatch && napi_get_reference_value(env, state->dispatch, &dispatch) == napi_ok && dispatch) call(env, state->context, dispatch, 2, argv);
  napi_close_handle_scope(env, scope);
}

static void free_state(uv_handle_t *handle) {
  module_state_t *state = (module_state_t *)handle->data;
  pthread_mutex_destroy(&state->lock);
  free(state);
}

/* The environment is going away (a worker ending): stop the thread; running steps are left alone. */
static void cleanup_env(void *arg) {
  module_state_t *state = (module_state_t *)arg;
  if (!state->started) {
    pthread_mutex_destroy(&state->lock);
    free(state);
    return;
  }
  pthread_mutex_lock(&state->lock);
  state->stopping = 1;
  pthread_mutex_unlock(&state->lock);
  wake_thread(state);
  pthread_join(state->thread, NULL);
  close(state->epoll);
  close(state->wake);
  while (state->pools) {
    pool_t *next = state->pools->next;
    while (state->pools->todo) {
      step_t *after = state->pools->todo->next;
      free_step(state->pools->todo);
      state->pools->todo = after;
    }
    free_pool(state->pools);
    state->pools = next;
  }
  /* Reports not delivered: their steps are freed with the last one (started steps still run). */
  while (state->done) {
    report_t *next = state->done->next;
    if (state->done->ended || state->done->step->error) free_step(state->done->step);
    free(state->done);
    state->done = next;
  }
  napi_async_destroy(state->env, state->context);
  if (state->dispatch) napi_delete_reference(state->env, state->dispatch);
  /* libuv holds the async handle until it is closed: free the state after that. */
  uv_close((uv_handle_t *)&state->async, free_state);
}

static int start_thread(napi_env env, module_state_t *state) {
  uv_loop_t *loop = NULL;
  napi_get_uv_event_loop(env, &loop);
  state->env = env;
  state->epoll = epoll_create1(EPOLL_CLOEXEC);
  state->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  struct epoll_event event = {.events = EPOLLIN, .data.ptr = NULL};
  if (state->epoll < 0 || state->wake < 0 || epoll_ctl(state->epoll, EPOLL_CTL_ADD, state->wake, &event) != 0) return -1;
  if (uv_async_init(loop, &state->async, on_reports) != 0) return -1;
  state->async.data = state;
  uv_unref((uv_handle_t *)&state->async);
  if (pthread_create(&state->thread, NULL, spawn_thread, state) != 0) {
    uv_close((uv_handle_t *)&state->async, NULL);
    return -1;
  }
  pthread_setname_np(state->thread, "pw-spawn"); /* as `ps -L` and profilers show it */
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
  if (!state->started && start_thread(env, state) != 0) {
    free_strings(base_env, base_count);
    napi_throw_error(env, NULL, "could not start the spawn thread");
    return NULL;
  }
  pool_t *pool = calloc(1, sizeof(pool_t));
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
  pthread_mutex_unlock(&state->lock);
  wake_thread(state);
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
  int later = 0; /* the spawn thread is making its files: it undoes them and frees it */
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
 * started and its leader has not been reaped. Under the lock that the spawn thread takes before
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
  /* A full pool starts it when a running step ends, which wakes the thread anyway. */
  int room = pool->running < pool->limit;
  pthread_mutex_unlock(&state->lock);
  if (room) wake_thread(state);
  napi_value id;
  napi_create_uint32(env, s->id, &id);
  return id;
}

static napi_value Supported(napi_env env, napi_callback_info info) {
  (void)info;
  int fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
  if (fd >= 0) close(fd);
  napi_value result;
  napi_get_boolean(env, fd >= 0, &result);
  return result;
}

NAPI_MODULE_INIT() {
  module_state_t *state = calloc(1, sizeof(module_state_t));
  pthread_mutex_init(&state->lock, NULL);
  napi_add_env_cleanup_hook(env, cleanup_env, state);
  const struct {
    const char *name;
    napi_callback callback;
  } functions[] = {{"pool", Pool}, {"closePool", ClosePool}, {"spawn", Spawn}, {"discard", Discard}, {"signal", Signal}, {"onReports", OnReports}, {"supported", Supported}};
  for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
    napi_value fn;
    napi_create_function(env, functions[i].name, NAPI_AUTO_LENGTH, functions[i].callback, state, &fn);
    napi_set_named_property(env, exports, functions[i].name, fn);
  }
  return exports;
}
