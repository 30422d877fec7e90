using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.Cloud.Tests.Epcis;

/// <summary>
/// Whether two JSON documents say the same: same keys, same array order, numbers equal as decimals (<c>26.0</c> and
/// <c>26</c> are the same number), strings equal, except two RFC 3339 times that name the same instant with the same
/// offset (<c>...47.0Z</c> and <c>...47.000Z</c>).
/// </summary>
internal static class JsonSameness
{
    public static IReadOnlyList<string> Differences(JsonNode? expected, JsonNode? actual)
    {
        var differences = new List<string>();
        Compare(expected, actual, "$", differences);
        return differences;
    }

    static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (null, null):
                return;
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: {(e.ContainsKey(key) ? "lost" : "added")}");
                        continue;
                    }

                    Compare(e[key], a[key], $"{path}.{key}", differences);
                }

                return;
            case (JsonArray e, JsonArray a):
                if (e.Count != a.Count)
                {
                    differences.Add($"{path}: {e.Count} items became {a.Count}");
                    return;
                }

                for (int i = 0; i < e.Count; i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", differences);
                }

                return;
            case (JsonValue e, JsonValue a) when e.GetValueKind() == a.GetValueKind():
                if (!SameValue(e, a))
                {
                    differences.Add($"{path}: {e.ToJsonString()} became {a.ToJsonString()}");
                }

                return;
            default:
                differences.Add($"{path}: {expected?.ToJsonString() ?? "null"} became {actual?.ToJsonString() ?? "null"}");
                return;
        }
    }

    static bool SameValue(JsonValue expected, JsonValue actual)
    {
        switch (expected.GetValueKind())
        {
            case JsonValueKind.Number:
                return decimal.Parse(expected.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture) ==
                    decimal.Parse(actual.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
            case JsonValueKind.String:
                string e = expected.GetValue<string>();
                string a = actual.GetValue<string>();
                return e == a || (IsTime(e, out var te) && IsTime(a, out var ta) && te == ta && te.Offset == ta.Offset);
            default:
                return JsonNode.DeepEquals(expected, actual);
        }
    }

    static bool IsTime(string text, out DateTimeOffset time)
    {
        time = default;
        return text.Length >= 20 && text[10] is 'T' or 't' &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out time);
    }
}
