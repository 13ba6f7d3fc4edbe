/*
 * pw-spawn: starts step processes from inside the runner, as cheaply as make does.
 *
 * Each step is `/bin/sh -c <script>` started with posix_spawn (glibc: clone(CLONE_VM |
 * CLONE_VFORK), so no page table of the runner is copied however large it grows), as the leader
 * of its own session and process group (setsid), stdin from /dev/null, stdout and stderr appended
 * to its log file, every signal at its default disposition and none blocked, in its working
 * folder (posix_spawn_file_actions_addchdir_np). Its exit is watched through a pidfd polled by the
 * runner's own event loop (libuv), and reaped with waitpid on that pid alone, so the children
 * Node itself starts are never touched.
 *
 * Everything happens on the calling (event loop) thread: handing each start to a thread of its
 * own measured ~0.2 ms slower per step on two cores (two cross-thread wake-ups per step).
 *
 * JavaScript API (packages/runner/src/local/native-spawner.ts wraps it):
 *   spawn(script, cwd, env: string[] ("K=V"), logFile, dirs: string[], onExit) -> pid
 *     creates `dirs` (with parents) and opens the log first; throws
 *     Error("<what>: <strerror> <path>") when the step cannot start.
 *     onExit(exitCode, null) or onExit(null, signalNumber) once it has ended.
 *   supported() -> true when this kernel has pidfd_open (Linux 5.3+).
 *
 * Built by native/build.mjs with the C compiler and Node's own headers; when it cannot be built,
 * the runner uses its python3 (or Node) spawn helper instead.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

typedef struct watch {
  uv_poll_t poll;
  int pidfd;
  pid_t pid;
  napi_env env;
  napi_ref callback;
  napi_async_context context;
  struct watch *prev, *next;
  struct module_state *owner;
} watch_t;

/* One per Node environment (main thread or worker): the watches still open there. */
typedef struct module_state {
  watch_t *head;
} module_state_t;

static void call(napi_env env, napi_async_context context, napi_value callback, size_t argc, napi_value *argv);

static void unlink_watch(watch_t *w) {
  if (w->prev) w->prev->next = w->next;
  else if (w->owner) w->owner->head = w->next;
  if (w->next) w->next->prev = w->prev;
  w->prev = w->next = NULL;
}

static void free_watch(uv_handle_t *handle) { free(handle->data); }

/* Stops watching (the async context is the caller's to destroy, after the callback ran). */
static void release(watch_t *w) {
  unlink_watch(w);
  napi_delete_reference(w->env, w->callback);
  uv_poll_stop(&w->poll);
  close(w->pidfd);
  uv_close((uv_handle_t *)&w->poll, free_watch);
}

static void on_exit_ready(uv_poll_t *handle, int status, int events) {
  (void)status;
  (void)events;
  watch_t *w = (watch_t *)handle->data;
  int wstatus = 0;
  pid_t reaped;
  do reaped = waitpid(w->pid, &wstatus, WNOHANG);
  while (reaped < 0 && errno == EINTR);
  if (reaped == 0) return; /* not exited yet: spurious wake-up */
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value callback, argv[2];
  napi_get_reference_value(env, w->callback, &callback);
  if (reaped < 0) {
    /* Reaped by someone else (SIGCHLD ignored process-wide): the status is gone. */
    napi_get_null(env, &argv[0]);
    napi_get_null(env, &argv[1]);
  } else if (WIFSIGNALED(wstatus)) {
    napi_get_null(env, &argv[0]);
    napi_create_int32(env, WTERMSIG(wstatus), &argv[1]);
  } else {
    napi_create_int32(env, WEXITSTATUS(wstatus), &argv[0]);
    napi_get_null(env, &argv[1]);
  }
  napi_async_context context = w->context;
  release(w);
  call(env, context, callback, 2, argv);
  napi_async_destroy(env, context);
  napi_close_handle_scope(env, scope);
}

/* The environment is going away (a worker ending): stop watching whatever still runs. */
static void cleanup_env(void *arg) {
  module_state_t *state = (module_state_t *)arg;
  while (state->head) {
    watch_t *w = state->head;
    unlink_watch(w);
    uv_poll_stop(&w->poll);
    close(w->pidfd);
    uv_close((uv_handle_t *)&w->poll, free_watch);
  }
  free(state);
}

static char *string_arg(napi_env env, napi_value value, const char *what) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, what);
    return NULL;
  }
  char *text = malloc(length + 1);
  if (!text) return NULL;
  napi_get_value_string_utf8(env, value, text, length + 1, &length);
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
      for (uint32_t j = 0; j < i; j++) free(items[j]);
      free(items);
      return NULL;
    }
  }
  return items;
}

static void free_strings(char **items, uint32_t count) {
  if (!items) return;
  for (uint32_t i = 0; i < count; i++) free(items[i]);
  free(items);
}

/* mkdir, and on ENOENT its parents first (mkdir -p). */
static int make_folder(char *path) {
  if (mkdir(path, 0777) == 0 || errno == EEXIST) return 0;
  if (errno != ENOENT) return errno;
  char *slash = strrchr(path, '/');
  if (!slash || slash == path) return ENOENT;
  *slash = '\0';
  int failed = make_folder(path);
  *slash = '/';
  if (failed) return failed;
  if (mkdir(path, 0777) == 0 || errno == EEXIST) return 0;
  return errno;
}

static pid_t start(char *script, const char *cwd, char **envp, int log, int *error) {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
  sigset_t all, none;
  sigfillset(&all);
  sigemptyset(&none);
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log, 1);
  posix_spawn_file_actions_adddup2(&actions, log, 2);
  posix_spawn_file_actions_addchdir_np(&actions, cwd);
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setsigdefault(&attributes, &all);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  char *argv[] = {"/bin/sh", "-c", script, NULL};
  pid_t pid = -1;
  *error = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  return *error ? -1 : pid;
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

static void throw_failure(napi_env env, const char *what, int code, const char *where) {
  char message[4352];
  snprintf(message, sizeof message, "%s: %s%s%s", what, strerror(code), where ? " " : "", where ? where : "");
  napi_throw_error(env, NULL, message);
}

/* Folders, log file, posix_spawn: the pid, or -1 with what failed. */
static pid_t start_step(char *script, const char *cwd, char **envp, const char *log_path, char **dirs, uint32_t dir_count,
                        int *error, const char **what, const char **where) {
  for (uint32_t i = 0; i < dir_count; i++) {
    *error = make_folder(dirs[i]);
    if (*error) {
      *what = "mkdir", *where = dirs[i];
      return -1;
    }
  }
  int log = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
  if (log < 0) {
    *error = errno, *what = "open", *where = log_path;
    return -1;
  }
  pid_t pid = start(script, cwd, envp, log, error);
  close(log);
  /* posix_spawn reports a failed file action (here: the working folder) as its error. */
  if (*error) *what = "spawn /bin/sh", *where = cwd;
  return pid;
}

/* Watches a started step's exit on this environment's event loop; 0, or a libuv error. */
static int watch(napi_env env, module_state_t *state, pid_t pid, napi_value on_exit) {
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) return -errno;
  uv_loop_t *loop = NULL;
  napi_get_uv_event_loop(env, &loop);
  watch_t *w = calloc(1, sizeof(watch_t));
  w->pid = pid;
  w->pidfd = pidfd;
  w->env = env;
  int failed = uv_poll_init(loop, &w->poll, pidfd);
  if (!failed) {
    w->poll.data = w;
    failed = uv_poll_start(&w->poll, UV_READABLE, on_exit_ready);
    if (failed) {
      uv_close((uv_handle_t *)&w->poll, free_watch);
      close(pidfd);
      return failed;
    }
  }
  if (failed) {
    close(pidfd);
    free(w);
    return failed;
  }
  napi_value name;
  napi_create_reference(env, on_exit, 1, &w->callback);
  napi_create_string_utf8(env, "pipewright.step", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &w->context);
  w->owner = state;
  w->next = state->head;
  if (state->head) state->head->prev = w;
  state->head = w;
  return 0;
}

/* spawn(script, cwd, env, logFile, dirs, onExit(code, signal)) -> pid */
static napi_value Spawn(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  module_state_t *state;
  napi_get_cb_info(env, info, &argc, argv, NULL, (void **)&state);
  napi_valuetype exit_type = napi_undefined;
  if (argc == 6) napi_typeof(env, argv[5], &exit_type);
  if (exit_type != napi_function) {
    napi_throw_type_error(env, NULL, "spawn(script, cwd, env, logFile, dirs, onExit)");
    return NULL;
  }
  uint32_t env_count = 0, dir_count = 0;
  char *script = string_arg(env, argv[0], "script must be a string");
  char *cwd = script ? string_arg(env, argv[1], "cwd must be a string") : NULL;
  char **envp = cwd ? string_array_arg(env, argv[2], &env_count, "env must be an array of strings") : NULL;
  char *log_path = envp ? string_arg(env, argv[3], "logFile must be a string") : NULL;
  char **dirs = log_path ? string_array_arg(env, argv[4], &dir_count, "dirs must be an array of strings") : NULL;
  napi_value returned = NULL;
  if (dirs) {
    int error = 0;
    const char *what = NULL, *where = NULL;
    pid_t pid = start_step(script, cwd, envp, log_path, dirs, dir_count, &error, &what, &where);
    if (pid < 0) throw_failure(env, what, error, where);
    else if ((error = watch(env, state, pid, argv[5])) != 0) {
      /* Started but cannot be watched: stop it rather than leave it running unobserved. */
      kill(-pid, SIGKILL);
      waitpid(pid, NULL, 0);
      throw_failure(env, "watch", -error, NULL);
    } else napi_create_int32(env, pid, &returned);
  }
  free(script);
  free(cwd);
  free_strings(envp, env_count);
  free(log_path);
  free_strings(dirs, dir_count);
  return returned;
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
  napi_add_env_cleanup_hook(env, cleanup_env, state);
  napi_value spawn, supported;
  napi_create_function(env, "spawn", NAPI_AUTO_LENGTH, Spawn, state, &spawn);
  napi_create_function(env, "supported", NAPI_AUTO_LENGTH, Supported, NULL, &supported);
  napi_set_named_property(env, exports, "spawn", spawn);
  napi_set_named_property(env, exports, "supported", supported);
  return exports;
}
