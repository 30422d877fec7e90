using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Iot.InfluxDb.LineProtocol;

namespace Iot.InfluxDb.Writing;

/// <summary>
/// Writes points over HTTP (v1 <c>/write</c> or v2 <c>/api/v2/write</c>) in batches, gzip by
/// default, and sorts every error into one of three bins (see the README's table):
/// <list type="bullet">
/// <item><b>split</b>: 400/422 (type conflict, unparseable line, beyond retention) and 413: halve the body until the offending points stand alone; those are rejected with the server's reason, the rest written;</item>
/// <item><b>retry</b>: 408, 429, 5xx, connection failures and timeouts: exponential backoff honouring Retry-After, bounded by attempts and a deadline, then "unavailable";</item>
/// <item><b>stop</b>: 401/403 (credentials), 404 (no such database or bucket) and anything else: not retried.</item>
/// </list>
/// Splitting re-sends points the server may already have stored (1.x writes the good points of a
/// partially failed batch); that is harmless because a point with the same series and timestamp
/// overwrites itself. Points without a timestamp are therefore stamped with the time of the call.
/// </summary>
public sealed class InfluxWriteClient
{
    private const int MaxErrorLength = 2_000;
    private readonly HttpClient http;
    private readonly InfluxWriteOptions options;
    private readonly TimeProvider time;
    private readonly Uri writeUri;
    private readonly AuthenticationHeaderValue? authorization;

    /// <summary>Creates a client on <paramref name="http"/> (not disposed by this class; its own Timeout should exceed <see cref="InfluxWriteOptions.RequestTimeout"/>).</summary>
    public InfluxWriteClient(HttpClient http, InfluxWriteOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.http = http;
        this.options = options;
        time = timeProvider ?? TimeProvider.System;
        writeUri = BuildWriteUri(options);
        authorization = BuildAuthorization(options);
    }

    /// <summary>The URI every write goes to, query included.</summary>
    public Uri WriteUri => writeUri;

    /// <summary>
    /// Writes <paramref name="points"/> in batches of <see cref="InfluxWriteOptions.BatchSize"/>.
    /// Does not throw for server errors: the result says what was written, what was rejected and
    /// why, and (when <see cref="WriteResult.Failure"/> is set) what was not written.
    /// </summary>
    /// <exception cref="ArgumentException">A point has no fields (nothing is sent).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task<WriteResult> WriteAsync(IReadOnlyList<Point> points, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var call = new Call(points);
        if (points.Count == 0)
        {
            return call.ToResult();
        }

        var now = (time.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;
        using var buffer = new PooledByteBuffer();
        var lineEnds = new int[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(points[i], $"points[{i}]");
            LineProtocolWriter.Write(buffer, points[i], options.Precision, now);
            buffer.GetSpan(1)[0] = (byte)'\n';
            buffer.Advance(1);
            lineEnds[i] = buffer.Count;
        }

        var body = new Body(buffer.WrittenMemory, lineEnds);
        for (var start = 0; start < points.Count; start += options.BatchSize)
        {
            await WriteRangeAsync(call, body, start, Math.Min(points.Count, start + options.BatchSize), cancellationToken).ConfigureAwait(false);
        }

        return call.ToResult();
    }

    private async Task WriteRangeAsync(Call call, Body body, int start, int end, CancellationToken cancellationToken)
    {
        if (call.Failure is not null)
        {
            call.NotWritten(start, end);
            return;
        }

        var answer = await SendWithRetriesAsync(call, body.Slice(start, end), cancellationToken).ConfigureAwait(false);
        switch (answer.Kind)
        {
            case AnswerKind.Written:
                call.Written(start, end);
                break;
            case AnswerKind.Split when end - start == 1:
                call.Rejected(start, answer.StatusCode ?? 0, answer.Message);
                break;
            case AnswerKind.Split:
                var middle = start + ((end - start) / 2);
                await WriteRangeAsync(call, body, start, middle, cancellationToken).ConfigureAwait(false);
                await WriteRangeAsync(call, body, middle, end, cancellationToken).ConfigureAwait(false);
                break;
            default:
                call.Failure = answer.Failure;
                call.NotWritten(start, end);
                break;
        }
    }

    private async Task<Answer> SendWithRetriesAsync(Call call, ReadOnlyMemory<byte> lines, CancellationToken cancellationToken)
    {
        var content = options.Gzip ? Compress(lines) : lines;
        long? firstFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            call.Requests++;
            var answer = await SendOnceAsync(content, cancellationToken).ConfigureAwait(false);
            if (answer.Kind != AnswerKind.Retry)
            {
                return answer;
            }

            firstFailure ??= time.GetTimestamp();
            var backoff = Backoff(attempt);
            var delay = answer.RetryAfter is { } retryAfter && retryAfter > backoff ? retryAfter : backoff;
            var elapsed = time.GetElapsedTime(firstFailure.Value);
            if (attempt >= options.MaxAttempts || elapsed + delay > options.RetryDeadline)
            {
                var why = attempt >= options.MaxAttempts
                    ? $"gave up after {attempt} attempt(s)"
                    : $"gave up after {attempt} attempt(s): the next wait ({delay.TotalSeconds:0.###} s) would pass the retry deadline ({options.RetryDeadline.TotalSeconds:0.###} s)";
                return Answer.Stop(new WriteFailure(
                    WriteFailureKind.Unavailable,
                    string.Create(CultureInfo.InvariantCulture, $"InfluxDB unavailable at {options.BaseUri} for {options.TargetDescription}: {why}; last error: {answer.Message}"),
                    answer.StatusCode,
                    attempt));
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Answer> SendOnceAsync(ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, writeUri) { Content = new ReadOnlyMemoryContent(content) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        if (options.Gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        request.Headers.Authorization = authorization;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return Answer.Written;
            }

            var error = await ReadErrorAsync(response, timeout.Token).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => Answer.Split(status, error),
                HttpStatusCode.RequestEntityTooLarge => Answer.Split(status, $"request body too large for the server ({status}): {error}"),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Answer.Stop(new WriteFailure(
                    WriteFailureKind.Unauthorized,
                    $"InfluxDB at {options.BaseUri} refused the credentials for writing to {options.TargetDescription} ({status}): {error}",
                    status,
                    1)),
                HttpStatusCode.NotFound => Answer.Stop(new WriteFailure(
                    WriteFailureKind.NotFound,
                    $"InfluxDB at {options.BaseUri} has no {options.TargetDescription} ({status}): {error}",
                    status,
                    1)),
                HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests => Answer.Retry(status, $"{status} {error}", RetryAfter(response)),
                _ when status >= 500 => Answer.Retry(status, $"{status} {error}", RetryAfter(response)),
                _ => Answer.Stop(new WriteFailure(
                    WriteFailureKind.UnexpectedResponse,
                    $"InfluxDB at {options.BaseUri} answered {status} to a write to {options.TargetDescription}: {error}",
                    status,
                    1)),
            };
        }
        catch (HttpRequestException e)
        {
            return Answer.Retry(null, "connection failed: " + Flatten(e), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Answer.Retry(null, string.Create(CultureInfo.InvariantCulture, $"no answer within {options.RequestTimeout.TotalSeconds:0.###} s"), null);
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var jittered = Math.Min(exponential, options.MaxBackoff.TotalMilliseconds) * (0.8 + (0.4 * Random.Shared.NextDouble()));
        return TimeSpan.FromMilliseconds(jittered);
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var message = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                // 1.x: {"error": "..."}; 2.x/3.x: {"code": "...", "message": "..."}.
                if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                {
                    message = error.GetString()!;
                }
                else if (document.RootElement.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    message = text.GetString()!;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, plain text): keep the body as it is.
        }

        if (string.IsNullOrWhiteSpace(message))
        {
            message = response.Headers.TryGetValues("X-Influxdb-Error", out var values) ? string.Join(' ', values) : response.ReasonPhrase ?? "(no body)";
        }

        message = message.Trim();
        return message.Length <= MaxErrorLength ? message : message[..MaxErrorLength] + "…";
    }

    private static string Flatten(Exception e)
    {
        var text = new StringBuilder(e.Message);
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" (").Append(inner.Message).Append(')');
        }

        return text.ToString();
    }

    private static ReadOnlyMemory<byte> Compress(ReadOnlyMemory<byte> lines)
    {
        using var compressed = new MemoryStream(Math.Max(256, lines.Length / 4));
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(lines.Span);
        }

        return compressed.GetBuffer().AsMemory(0, (int)compressed.Length);
    }

    private static Uri BuildWriteUri(InfluxWriteOptions options)
    {
        var query = new StringBuilder();
        if (options.ApiVersion == InfluxApiVersion.V1)
        {
            Append(query, "db", options.Database!);
            if (!string.IsNullOrEmpty(options.RetentionPolicy))
            {
                Append(query, "rp", options.RetentionPolicy);
            }

            if (options.Token is null && options.Username is not null && !options.UseBasicAuthentication)
            {
                Append(query, "u", options.Username);
                Append(query, "p", options.Password ?? "");
            }
        }
        else
        {
            Append(query, "org", options.Organization!);
            Append(query, "bucket", options.Bucket!);
        }

        Append(query, "precision", options.Precision.ToQueryValue());
        var path = options.ApiVersion == InfluxApiVersion.V1 ? "write" : "api/v2/write";
        return new Uri(WithTrailingSlash(options.BaseUri), path + "?" + query);
    }

    private static AuthenticationHeaderValue? BuildAuthorization(InfluxWriteOptions options)
    {
        if (options.Token is not null)
        {
            return new AuthenticationHeaderValue("Token", options.Token);
        }

        if (options.Username is not null && options.UseBasicAuthentication)
        {
            var pair = Encoding.UTF8.GetBytes(options.Username + ":" + (options.Password ?? ""));
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(pair));
        }

        return null;
    }

    internal static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");

    internal static void Append(StringBuilder query, string name, string value)
    {
        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
    }

    private enum AnswerKind
    {
        Written,
        Split,
        Retry,
        Stop,
    }

    private readonly record struct Answer(AnswerKind Kind, int? StatusCode, string Message, TimeSpan? RetryAfter, WriteFailure? Failure)
    {
        public static Answer Written => new(AnswerKind.Written, null, "", null, null);

        public static Answer Split(int status, string message) => new(AnswerKind.Split, status, message, null, null);

        public static Answer Retry(int? status, string message, TimeSpan? retryAfter) => new(AnswerKind.Retry, status, message, retryAfter, null);

        public static Answer Stop(WriteFailure failure) => new(AnswerKind.Stop, failure.StatusCode, failure.Message, null, failure);
    }

    private readonly record struct Body(ReadOnlyMemory<byte> Lines, int[] LineEnds)
    {
        public ReadOnlyMemory<byte> Slice(int start, int end)
        {
            var from = start == 0 ? 0 : LineEnds[start - 1];
            return Lines[from..LineEnds[end - 1]];
        }
    }

    private sealed class Call(IReadOnlyList<Point> points)
    {
        private readonly List<Point> written = [];
        private readonly List<RejectedPoint> rejected = [];
        private readonly List<Point> notWritten = [];

        public int Requests { get; set; }

        public WriteFailure? Failure { get; set; }

        public void Written(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                written.Add(points[i]);
            }
        }

        public void Rejected(int index, int status, string reason) => rejected.Add(new RejectedPoint(points[index], status, reason));

        public void NotWritten(int start, int end)
        {
            for (var i = start; i < end; i++)
            {
                notWritten.Add(points[i]);
            }
        }

        public WriteResult ToResult() => new(written, rejected, notWritten, Failure, Requests);
    }
}
