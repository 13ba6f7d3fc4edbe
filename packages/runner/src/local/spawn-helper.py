# The spawner where python3 is present: starts step processes for the runner with posix_spawn,
# which glibc implements with clone(CLONE_VM | CLONE_VFORK): no copy of any page table, so a
# step starts about as cheaply as from make. Same protocol as spawn-helper.mjs (the fallback),
# newline-delimited JSON on stdin/stdout:
#   in:  {"op":"env","env":{...}}                      base environment of every step
#        {"op":"spawn","id":1,"script":"...","cwd":"...","env":{...},"log":"/path","dirs":["/path"]}
#   out: {"op":"ready","id":0} once, then
#        {"op":"started","id":1,"pid":123} | {"op":"exit","id":1,"code":0,"signal":null}
#        {"op":"error","id":1,"message":"..."}
# Each step is `/bin/sh -c <script>` leading its own session and process group (setsid), stdin
# from /dev/null, stdout and stderr appended to its log, every signal at its default disposition.
# The runner signals process groups itself (kill(-pid)); on stdin EOF this process exits and
# leaves running steps alone, exactly as a killed runner would.
import json
import os
import select
import signal
import sys

if not hasattr(os, "posix_spawn") or not hasattr(os, "POSIX_SPAWN_DUP2"):
    sys.exit(3)  # Python older than 3.8: the runner falls back to the Node helper.

# Ctrl-C reaches the runner's whole process group; the runner decides what happens to the steps
# and needs this process to report their exits meanwhile.
signal.signal(signal.SIGINT, signal.SIG_IGN)
wake_read, wake_write = os.pipe()
os.set_blocking(wake_read, False)
os.set_blocking(wake_write, False)
signal.set_wakeup_fd(wake_write)
signal.signal(signal.SIGCHLD, lambda signum, frame: None)


# Every signal at its default in the step, as libuv does: ignored ones would otherwise stay ignored
# across exec (Python ignores SIGPIPE and SIGXFSZ; this process ignores SIGINT).
RESET = tuple(s for s in signal.valid_signals() if s not in (signal.SIGKILL, signal.SIGSTOP))
LOG_FLAGS = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC
base_env = {}
outbox = []
ids = {}  # pid -> request id of every step not yet reaped
running = 0


def send(message):
    outbox.append(json.dumps(message, separators=(",", ":")))


def flush():
    if not outbox:
        return
    data = ("\n".join(outbox) + "\n").encode()
    outbox.clear()
    try:
        while data:
            data = data[os.write(1, data):]
    except OSError:
        os._exit(0)  # the runner has gone: nothing left to report to


def spawn(message):
    global running
    ident = message.get("id")
    try:
        env = dict(base_env)
        env.update(message.get("env") or {})
        for folder in message.get("dirs") or ():
            try:
                os.mkdir(folder)
            except FileExistsError:
                pass
            except FileNotFoundError:
                os.makedirs(folder, exist_ok=True)
        log = os.open(message["log"], LOG_FLAGS, 0o666)
        try:
            os.chdir(message["cwd"])
            pid = os.posix_spawn(
                "/bin/sh",
                ["/bin/sh", "-c", message["script"]],
                env,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_DUP2, log, 1),
                    (os.POSIX_SPAWN_DUP2, log, 2),
                ],
                setsid=True,
                setsigmask=(),
                setsigdef=RESET,
            )
        finally:
            os.close(log)
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        send({"op": "error", "id": ident, "message": f"spawn /bin/sh {error.strerror or error}{where}".strip()})
        return
    except Exception as error:  # bad message content (e.g. a NUL byte in the environment)
        send({"op": "error", "id": ident, "message": str(error)})
        return
    running += 1
    ids[pid] = ident
    send({"op": "started", "id": ident, "pid": pid})


def reap():
    global running
    while running:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            running = 0
            return
        if pid == 0:
            return
        ident = ids.pop(pid, None)
        if ident is None:
            continue
        running -= 1
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"SIG{number}"
            send({"op": "exit", "id": ident, "code": None, "signal": name})
        else:
            send({"op": "exit", "id": ident, "code": os.WEXITSTATUS(status), "signal": None})


def handle(line):
    global base_env
    try:
        message = json.loads(line)
    except ValueError:
        return
    if not isinstance(message, dict):
        return
    if message.get("op") == "env":
        base_env = message.get("env") or {}
    elif message.get("op") == "spawn":
        spawn(message)


def main():
    pending = b""
    send({"op": "ready", "id": 0})
    flush()
    while True:
        readable, _, _ = select.select([0, wake_read], [], [])
        if wake_read in readable:
            try:
                while os.read(wake_read, 512):
                    pass
            except BlockingIOError:
                pass
        if 0 in readable:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                reap()
                flush()
                os._exit(0)
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for line in lines:
                if line:
                    handle(line)
        reap()
        flush()


main()
