using System.Text.Json;

namespace Iot.InfluxDb.Querying;

/// <summary>The answer to a /query request: one result per statement.</summary>
public sealed class QueryResult
{
    internal QueryResult(IReadOnlyList<StatementResult> statements) => Statements = statements;

    /// <summary>One entry per statement, in order.</summary>
    public IReadOnlyList<StatementResult> Statements { get; }

    /// <summary>The series of the first statement (the common single-statement case).</summary>
    public IReadOnlyList<Series> Series => Statements.Count == 0 ? [] : Statements[0].Series;
}

/// <summary>The result of one statement.</summary>
/// <param name="StatementId">InfluxDB's statement_id.</param>
/// <param name="Series">The series; empty when nothing matched.</param>
public sealed record StatementResult(int StatementId, IReadOnlyList<Series> Series);

/// <summary>
/// One series: a name, its tags (GROUP BY), columns and rows. Values are JSON elements as InfluxDB
/// sent them (numbers, strings, booleans, null); InfluxDB writes a float 1.0 as 1, so read them with
/// the getter that matches the field's type (GetDouble, GetInt64, GetString, GetBoolean).
/// </summary>
public sealed class Series
{
    internal Series(string name, IReadOnlyDictionary<string, string> tags, IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<JsonElement>> values)
    {
        Name = name;
        Tags = tags;
        Columns = columns;
        Values = values;
    }

    /// <summary>The measurement (or statement-dependent name, e.g. "measurements").</summary>
    public string Name { get; }

    /// <summary>The GROUP BY tags of this series.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; }

    /// <summary>Column names; the first is "time" for SELECT.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows, each with one value per column.</summary>
    public IReadOnlyList<IReadOnlyList<JsonElement>> Values { get; }

    /// <summary>The index of <paramref name="column"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such column.</exception>
    public int ColumnIndex(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i] == column)
            {
                return i;
            }
        }

        throw new KeyNotFoundException($"series '{Name}' has no column '{column}' (columns: {string.Join(", ", Columns)})");
    }

    /// <summary>The value of <paramref name="column"/> in row <paramref name="row"/>.</summary>
    public JsonElement Value(int row, string column) => Values[row][ColumnIndex(column)];
}

/// <summary>A query the server refused: an HTTP error, or a statement error inside a 200 answer.</summary>
public sealed class InfluxQueryException : Exception
{
    public InfluxQueryException()
    {
    }

    public InfluxQueryException(string message)
        : base(message)
    {
    }

    public InfluxQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal InfluxQueryException(string message, int? statusCode, int? statementId, string serverError)
        : base(message)
    {
        StatusCode = statusCode;
        StatementId = statementId;
        ServerError = serverError;
    }

    /// <summary>The HTTP status (200 for a statement error), or null when no answer came.</summary>
    public int? StatusCode { get; }

    /// <summary>The statement that failed, when the server said.</summary>
    public int? StatementId { get; }

    /// <summary>The server's own words.</summary>
    public string? ServerError { get; }
}
