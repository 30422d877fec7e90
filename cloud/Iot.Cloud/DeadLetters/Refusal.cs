namespace Iot.Cloud.DeadLetters;

/// <summary>Why a message (or part of it) was not stored as a time series. The code is a metrics label; keep the set small.</summary>
public enum RefusalCode
{
    /// <summary>The message breaks the wire contract (JSON, types, schema version, identifiers, topic).</summary>
    Contract,

    /// <summary>The gateway is not in the registry.</summary>
    UnknownGateway,

    /// <summary>The MQTT client that sent it is not the gateway the topic and payload name.</summary>
    WrongGateway,

    /// <summary>A timestamp from a synchronised clock lies before 2020 or too far ahead of the cloud's clock.</summary>
    Time,

    /// <summary>A value is outside what its measurement type can physically be.</summary>
    Implausible,

    /// <summary>InfluxDB refused a point (e.g. a field type conflict).</summary>
    InfluxDbRefused,
}

/// <summary>A refusal: its code and a sentence a person understands, naming what is wrong and where.</summary>
public sealed record Refusal(RefusalCode Code, string Reason)
{
    /// <summary>The code as written in the store, the API and the metrics: <c>unknown-gateway</c>.</summary>
    public string CodeName => Name(Code);

    /// <summary>The kebab-case name of <paramref name="code"/>.</summary>
    public static string Name(RefusalCode code) => code switch
    {
        RefusalCode.Contract => "contract",
        RefusalCode.UnknownGateway => "unknown-gateway",
        RefusalCode.WrongGateway => "wrong-gateway",
        RefusalCode.Time => "time",
        RefusalCode.Implausible => "implausible",
        RefusalCode.InfluxDbRefused => "influxdb-refused",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, null),
    };

    /// <summary>The code named <paramref name="name"/>, if any.</summary>
    public static bool TryParse(string? name, out RefusalCode code)
    {
        foreach (var candidate in Enum.GetValues<RefusalCode>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.Ordinal))
            {
                code = candidate;
                return true;
            }
        }

        code = default;
        return false;
    }
}
