using System.Text.Json;

namespace Iot.InfluxDb.Querying;

/// <summary>
/// Bound parameters for InfluxQL (<c>$name</c> placeholders), sent as the <c>params</c> JSON
/// argument so values are never concatenated into the query text. InfluxDB 1.x binds them in
/// WHERE clauses (1.8 and 3.x also elsewhere).
/// </summary>
public sealed class QueryParameters
{
    private readonly List<(string Name, object Value)> values = [];

    /// <summary>How many parameters there are.</summary>
    public int Count => values.Count;

    /// <summary>Binds <c>$name</c> to a string.</summary>
    public QueryParameters Add(string name, string value) => AddValue(name, value);

    /// <summary>Binds <c>$name</c> to an integer.</summary>
    public QueryParameters Add(string name, long value) => AddValue(name, value);

    /// <summary>Binds <c>$name</c> to a float (finite).</summary>
    public QueryParameters Add(string name, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException($"parameter '{name}': JSON cannot carry {value}", nameof(value));
        }

        return AddValue(name, value);
    }

    /// <summary>Binds <c>$name</c> to a boolean.</summary>
    public QueryParameters Add(string name, bool value) => AddValue(name, value);

    /// <summary>The JSON object sent as <c>params</c>.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var (name, value) in values)
            {
                switch (value)
                {
                    case string text:
                        json.WriteString(name, text);
                        break;
                    case long integer:
                        json.WriteNumber(name, integer);
                        break;
                    case double number:
                        json.WriteNumber(name, number);
                        break;
                    case bool flag:
                        json.WriteBoolean(name, flag);
                        break;
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    private QueryParameters AddValue(string name, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.StartsWith('$'))
        {
            throw new ArgumentException($"parameter '{name}': give the name without '$'", nameof(name));
        }

        if (values.Exists(v => v.Name == name))
        {
            throw new ArgumentException($"parameter '{name}' is already bound", nameof(name));
        }

        values.Add((name, value));
        return this;
    }
}
