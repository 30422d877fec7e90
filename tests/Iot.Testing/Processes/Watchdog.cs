namespace Iot.Testing.Processes;

/// <summary>
/// The bash wrapper every server runs under. It is the only thing that ever signals the server,
/// so nothing outside the processes a fixture started is touched, and it makes sure the server
/// does not outlive the test host, even when the host dies of SIGKILL.
/// </summary>
/// <remarks>
/// Arguments: host pid, log file, folder to delete when the host is gone ("" for none), then the
/// server's command line. The wrapper prints the server's pid as its first stdout line, then
/// sends everything (server stdout/stderr and its own notes) to the log file. It reads commands
/// from stdin, one a line: TERM, KILL. The host is gone when stdin reaches end of file (the kernel
/// closes the host's end of the pipe however the host dies) or the host pid no longer exists;
/// then the server gets SIGTERM, SIGKILL after 10 s, and the folder is deleted. The wrapper exits
/// within 0.05 s of the server exiting and notes the exit status in the log.
/// </remarks>
internal static class Watchdog
{
    public const string Script = """
        set -u
        host=$1 log=$2 cleanup=$3
        shift 3
        exec 2>>"$log"
        note() { printf '%s iot-watchdog: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S)" "$*" >>"$log"; }
        note "starting: $*"
        "$@" </dev/null >>"$log" 2>&1 &
        child=$!
        echo "$child"
        exec >>"$log"
        host_gone() {
          note "test host $host is gone ($1): stopping server $child"
          kill -TERM "$child" 2>/dev/null
          for _ in $(seq 1 100); do kill -0 "$child" 2>/dev/null || break; sleep 0.1; done
          kill -KILL "$child" 2>/dev/null
          wait "$child" 2>/dev/null
          if [ -n "$cleanup" ]; then rm -rf -- "$cleanup"; fi
          exit 0
        }
        pending=
        while :; do
          # On timeout bash's read may already have consumed part of a line: it leaves it in the
          # variable and returns > 128, so keep it and let the next read complete the command.
          if read -r -t 0.05 part; then
            cmd=$pending$part
            pending=
            case "$cmd" in
              TERM) note "SIGTERM to $child"; kill -TERM "$child" 2>/dev/null ;;
              KILL) note "SIGKILL to $child"; kill -KILL "$child" 2>/dev/null ;;
              *) note "unknown command: $cmd" ;;
            esac
          elif [ $? -gt 128 ]; then
            pending=$pending$part
          else
            host_gone "stdin closed"
          fi
          kill -0 "$host" 2>/dev/null || host_gone "pid no longer exists"
          if ! kill -0 "$child" 2>/dev/null; then
            wait "$child"
            note "server $child exited with status $?"
            exit 0
          fi
        done
        """;
}
