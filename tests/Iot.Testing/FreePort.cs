using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Iot.Testing;

/// <summary>Free loopback TCP ports for test servers.</summary>
/// <remarks>
/// The port is free when handed out and released at once, so another process may take it before
/// the server binds it; the servers retry their first start on fresh ports when the bind fails.
/// A port is never handed out twice in one test process, so a stopped server's port stays its
/// own for a restart (another test process could still take it; the restart then fails and says so).
/// </remarks>
public static class FreePort
{
    private static readonly ConcurrentDictionary<int, bool> HandedOut = new();

    /// <summary>A port on 127.0.0.1 that was free a moment ago and was not handed out before in this process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (HandedOut.TryAdd(port, true))
            {
                return port;
            }
        }

        throw new InvalidOperationException("no free loopback port found in 100 attempts");
    }
}
