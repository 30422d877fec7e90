using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Iot.Testing;

namespace Iot.InfluxDb.Tests;

/// <summary>One request as the recording server saw it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body, long ReceivedAt)
{
    /// <summary>The body, gunzipped when Content-Encoding says gzip, as UTF-8.</summary>
    public string Text
    {
        get
        {
            if (!Headers.TryGetValue("Content-Encoding", out var encoding) || encoding != "gzip")
            {
                return Encoding.UTF8.GetString(Body);
            }

            using var gzip = new GZipStream(new MemoryStream(Body), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Encoding.UTF8);
            return reader.ReadToEnd();
        }
    }

    public int LineCount => Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
}

/// <summary>What the recording server answers.</summary>
public sealed record Reply(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A small HTTP server on 127.0.0.1 that records every request and answers what the test says.
/// It stands in for remote services we cannot run here: InfluxDB 2.x (/api/v2/write does not exist
/// in the 1.6.7 we test against) and a server that answers 413, 429, 5xx or Retry-After on demand.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<RecordedRequest, int, Reply> answer;
    private readonly List<RecordedRequest> requests = [];
    private readonly Task loop;

    public RecordingServer(Func<RecordedRequest, int, Reply> answer)
    {
        this.answer = answer;
        for (var tries = 0; ; tries++)
        {
            Port = FreePort.Next();
            listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try
            {
                listener.Start();
                break;
            }
            catch (HttpListenerException) when (tries < 5)
            {
                listener.Prefixes.Clear();
            }
        }

        loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return [.. requests];
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            // Bounded: a connection the client abandoned mid-request must never hang the test suite.
            await loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is ObjectDisposedException or TimeoutException or HttpListenerException or IOException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Each request on its own task: a handler that dawdles (a timeout test) must not hold up the retry behind it.
            _ = Task.Run(async () =>
            {
                try
                {
                    await HandleAsync(context);
                }
                catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
                {
                    // The client went away (a timeout test abandons its request).
                    context.Response.Abort();
                }
            });
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        using var body = new MemoryStream();
        using var reading = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await context.Request.InputStream.CopyToAsync(body, reading.Token);
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
        var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers, body.ToArray(), Stopwatch.GetTimestamp());
        int index;
        lock (requests)
        {
            requests.Add(request);
            index = requests.Count - 1;
        }

        var reply = answer(request, index);
        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        var bytes = Encoding.UTF8.GetBytes(reply.Body);
        if (bytes.Length > 0)
        {
            context.Response.ContentType = "application/json";
        }

        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }
}
