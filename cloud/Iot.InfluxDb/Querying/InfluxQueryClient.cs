using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Iot.InfluxDb.LineProtocol;
using Iot.InfluxDb.Writing;

namespace Iot.InfluxDb.Querying;

/// <summary>Options of <see cref="InfluxQueryClient"/>.</summary>
public sealed class InfluxQueryOptions
{
    /// <summary>The server, e.g. http://127.0.0.1:8086/.</summary>
    public required Uri BaseUri { get; init; }

    /// <summary>If set, sent as <c>Authorization: Token …</c> (2.x/3.x v1 compatibility).</summary>
    public string? Token { get; init; }

    /// <summary>User name (1.x), with <see cref="Password"/>.</summary>
    public string? Username { get; init; }

    /// <summary>Password (1.x).</summary>
    public string? Password { get; init; }

    /// <summary>Send user name and password as basic auth (default) or as <c>u</c>/<c>p</c> arguments.</summary>
    public bool UseBasicAuthentication { get; init; } = true;

    /// <summary>The unit of timestamps in answers (<c>epoch</c>); default milliseconds.</summary>
    public WritePrecision Epoch { get; init; } = WritePrecision.Milliseconds;

    /// <summary>How long one query may take; default 30 s.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// InfluxQL over <c>/query</c> (InfluxDB 1.x; 2.x and 3.x through v1 compatibility). Values go
/// as bound parameters (<see cref="QueryParameters"/>), never into the text. Not retried: a query
/// is a read, and the caller knows best whether to try again.
/// </summary>
public sealed class InfluxQueryClient
{
    private readonly HttpClient http;
    private readonly InfluxQueryOptions options;
    private readonly Uri queryUri;
    private readonly AuthenticationHeaderValue? authorization;

    /// <summary>Creates a client on <paramref name="http"/> (not disposed by this class).</summary>
    public InfluxQueryClient(HttpClient http, InfluxQueryOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.BaseUri);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.RequestTimeout, TimeSpan.Zero);
        this.http = http;
        this.options = options;
        queryUri = new Uri(InfluxWriteClient.WithTrailingSlash(options.BaseUri), "query");
        if (options.Token is not null)
        {
            authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (options.Username is not null && options.UseBasicAuthentication)
        {
            authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(options.Username + ":" + (options.Password ?? ""))));
        }
    }

    /// <summary>Runs read-only statements (SELECT, SHOW) with GET /query.</summary>
    /// <exception cref="InfluxQueryException">The server answered an error, or a statement failed.</exception>
    public Task<QueryResult> QueryAsync(string? database, string influxQl, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, database, influxQl, parameters, cancellationToken);

    /// <summary>Runs any statements (CREATE, DROP, SELECT INTO, …) with POST /query, arguments in a form body.</summary>
    /// <exception cref="InfluxQueryException">The server answered an error, or a statement failed.</exception>
    public Task<QueryResult> ExecuteAsync(string? database, string influxQl, QueryParameters? parameters = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, database, influxQl, parameters, cancellationToken);

    private async Task<QueryResult> SendAsync(HttpMethod method, string? database, string influxQl, QueryParameters? parameters, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(influxQl);
        var arguments = new List<KeyValuePair<string, string>>();
        if (!string.IsNullOrEmpty(database))
        {
            arguments.Add(new("db", database));
        }

        arguments.Add(new("q", influxQl));
        if (parameters is { Count: > 0 })
        {
            arguments.Add(new("params", parameters.ToJson()));
        }

        arguments.Add(new("epoch", options.Epoch switch
        {
            WritePrecision.Microseconds => "u",
            var other => other.ToQueryValue(),
        }));
        if (options.Token is null && options.Username is not null && !options.UseBasicAuthentication)
        {
            arguments.Add(new("u", options.Username));
            arguments.Add(new("p", options.Password ?? ""));
        }

        using var request = method == HttpMethod.Get
            ? new HttpRequestMessage(HttpMethod.Get, new Uri(queryUri, "?" + Encode(arguments)))
            : new HttpRequestMessage(HttpMethod.Post, queryUri) { Content = new FormUrlEncodedContent(arguments) };
        request.Headers.Authorization = authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new InfluxQueryException($"InfluxDB at {options.BaseUri} is unreachable for '{influxQl}': {e.Message}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InfluxQueryException(string.Create(CultureInfo.InvariantCulture, $"InfluxDB at {options.BaseUri} did not answer '{influxQl}' within {options.RequestTimeout.TotalSeconds:0.###} s"), e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                throw new InfluxQueryException($"InfluxDB answered {status} with no JSON to '{influxQl}': {Shorten(body)}", status, null, body);
            }

            using (document)
            {
                var root = document.RootElement.Clone();
                if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var topError))
                {
                    var text = topError.ToString();
                    throw new InfluxQueryException($"InfluxDB answered {status} to '{influxQl}': {text}", status, null, text);
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new InfluxQueryException($"InfluxDB answered {status} to '{influxQl}': {Shorten(body)}", status, null, body);
                }

                return Parse(root, influxQl, status);
            }
        }
    }

    private static QueryResult Parse(JsonElement root, string influxQl, int status)
    {
        var statements = new List<StatementResult>();
        if (!root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new InfluxQueryException($"InfluxDB's answer to '{influxQl}' has no results array", status, null, root.ToString());
        }

        foreach (var result in results.EnumerateArray())
        {
            var id = result.TryGetProperty("statement_id", out var statementId) ? statementId.GetInt32() : statements.Count;
            if (result.TryGetProperty("error", out var error))
            {
                var text = error.ToString();
                throw new InfluxQueryException($"statement {id} of '{influxQl}' failed: {text}", status, id, text);
            }

            var seriesList = new List<Series>();
            if (result.TryGetProperty("series", out var series))
            {
                foreach (var one in series.EnumerateArray())
                {
                    seriesList.Add(ParseSeries(one));
                }
            }

            statements.Add(new StatementResult(id, seriesList));
        }

        return new QueryResult(statements);
    }

    private static Series ParseSeries(JsonElement series)
    {
        var name = series.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "";
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (series.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Object)
        {
            foreach (var tag in t.EnumerateObject())
            {
                tags[tag.Name] = tag.Value.ValueKind == JsonValueKind.String ? tag.Value.GetString()! : tag.Value.ToString();
            }
        }

        var columns = new List<string>();
        if (series.TryGetProperty("columns", out var c))
        {
            foreach (var column in c.EnumerateArray())
            {
                columns.Add(column.GetString() ?? "");
            }
        }

        var rows = new List<IReadOnlyList<JsonElement>>();
        if (series.TryGetProperty("values", out var v))
        {
            foreach (var row in v.EnumerateArray())
            {
                rows.Add([.. row.EnumerateArray()]);
            }
        }

        return new Series(name, tags, columns, rows);
    }

    private static string Encode(List<KeyValuePair<string, string>> arguments)
    {
        var query = new StringBuilder();
        foreach (var (name, value) in arguments)
        {
            InfluxWriteClient.Append(query, name, value);
        }

        return query.ToString();
    }

    private static string Shorten(string text) => text.Length <= 2_000 ? text : text[..2_000] + "…";
}
