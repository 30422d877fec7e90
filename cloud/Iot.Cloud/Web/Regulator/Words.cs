using System.Globalization;
using System.Text.Json.Nodes;
using Iot.Cloud.Registry;
using Iot.Cloud.Tracing;

namespace Iot.Cloud.Web.Regulator;

/// <summary>How the regulator pages say records, in Chinese and English: event types, statuses, inputs, times.</summary>
public static class Words
{
    static readonly Dictionary<string, (string Chinese, string English)> EventTypes = new(StringComparer.Ordinal)
    {
        [TraceEventTypes.Commissioned] = ("登记", "Registered"),
        [TraceEventTypes.BatchEntered] = ("入区", "Entered zone"),
        [TraceEventTypes.BatchLeft] = ("离区", "Left zone"),
        [TraceEventTypes.CrateAssociated] = ("装箱", "Crate filled"),
        [TraceEventTypes.CrateRemoved] = ("出箱", "Crate emptied"),
        [TraceEventTypes.Weighed] = ("称重", "Weighed"),
        [TraceEventTypes.InputApplied] = ("投入品使用", "Input applied"),
        [TraceEventTypes.Harvested] = ("采收", "Harvested"),
        [TraceEventTypes.Shipped] = ("发货", "Shipped"),
        [TraceEventTypes.Received] = ("收货", "Received"),
        [TraceEventTypes.Transformed] = ("加工", "Processed"),
        [TraceEventTypes.Recalled] = ("召回", "Recalled"),
    };

    /// <summary>An event type's name.</summary>
    public static string EventType(PageLanguage l, string type) =>
        EventTypes.TryGetValue(type, out var name) ? l.T(name.Chinese, name.English) : type;

    /// <summary>A batch status's name.</summary>
    public static string Status(PageLanguage l, BatchStatus status) => status switch
    {
        BatchStatus.Growing => l.T("生长中", "Growing"),
        BatchStatus.Harvested => l.T("已采收", "Harvested"),
        BatchStatus.Packed => l.T("已包装", "Packed"),
        BatchStatus.Shipped => l.T("已发货", "Shipped"),
        BatchStatus.Recalled => l.T("已召回", "Recalled"),
        _ => status.ToString(),
    };

    /// <summary>An input kind's name.</summary>
    public static string Input(PageLanguage l, string input) => input switch
    {
        "fertiliser" => l.T("肥料", "Fertiliser"),
        "pesticide" => l.T("农药", "Pesticide"),
        "irrigation" => l.T("灌溉", "Irrigation"),
        "fertigation" => l.T("水肥一体", "Fertigation"),
        _ => input,
    };

    /// <summary>A party's role.</summary>
    public static string Role(PageLanguage l, PartyRole role) => role switch
    {
        PartyRole.Farm => l.T("种植/养殖", "Farm"),
        PartyRole.Processor => l.T("加工", "Processor"),
        PartyRole.Distributor => l.T("流通", "Distributor"),
        PartyRole.Retailer => l.T("零售", "Retailer"),
        _ => role.ToString(),
    };

    /// <summary>A moment, to the minute, in UTC (the pages say so once).</summary>
    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A day, in UTC.</summary>
    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>An amount with its UN/ECE unit in the reader's words.</summary>
    public static string Amount(double? value, string? unit) => value is { } v
        ? $"{v.ToString("0.###", CultureInfo.InvariantCulture)} {UnitName(unit)}"
        : "";

    /// <summary>A party's identifier a regulator may see: the credit code, or a household's masked resident id.</summary>
    public static string PartyIdentifier(Party party) => party.CreditCode ?? party.ResidentId ?? "";

    /// <summary>A crate's tag as a regulator reads it.</summary>
    public static string Crate(PageLanguage l, string kind, string identifier) =>
        kind == LinkKinds.Uid ? $"{l.T("高频", "HF")} UID {identifier}" : $"EPC {identifier}";

    /// <summary>What an event says beyond its type and time: zone, input, crate, weight, receiver, document.</summary>
    public static string Summary(PageLanguage l, TraceEvent e, Func<long, string?> partyName)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(partyName);
        var d = e.Details;
        var parts = new List<string>();
        if (e.ZoneId is { } zone)
        {
            parts.Add($"{l.T("区域", "zone")} {zone}");
        }

        if (Text(d, "input") is { } input)
        {
            parts.Add(Input(l, input));
        }

        if (Text(d, "product") is { } product)
        {
            parts.Add(product);
        }

        if (Text(d, "registrationNumber") is { } registration)
        {
            parts.Add($"{l.T("登记证号", "reg. no.")} {registration}");
        }

        foreach (string field in new[] { "amount", "quantity", "net" })
        {
            if (d[field] is JsonObject q)
            {
                parts.Add(Amount(q["value"] is JsonValue v && v.TryGetValue(out double x) ? x : null, Text(q, "unit")));
            }
        }

        foreach (var link in e.Links.Where(k => k.Role == LinkRoles.Crate))
        {
            parts.Add(Crate(l, link.Kind, link.Identifier));
        }

        foreach (var link in e.Links.Where(k => k.Role is LinkRoles.Receiver or LinkRoles.Sender))
        {
            string who = long.TryParse(link.Identifier, CultureInfo.InvariantCulture, out long id) ? partyName(id) ?? link.Identifier : link.Identifier;
            parts.Add(link.Role == LinkRoles.Receiver ? $"{l.T("收货方", "to")} {who}" : $"{l.T("发货方", "from")} {who}");
        }

        if (e.Type == TraceEventTypes.Transformed)
        {
            parts.Add($"{l.T("原料", "from")} {string.Join(", ", e.Links.Where(k => k.Role == LinkRoles.Input).Select(k => k.Identifier))}");
            parts.Add($"{l.T("产出", "into")} {string.Join(", ", e.Links.Where(k => k.Role == LinkRoles.Output).Select(k => k.Identifier))}");
        }

        foreach (string field in new[] { "document", "process", "reason", "scaleId" })
        {
            if (Text(d, field) is { } text)
            {
                parts.Add(text);
            }
        }

        return string.Join(" · ", parts);
    }

    static string UnitName(string? unit) => unit switch
    {
        "KGM" => "kg",
        "GRM" => "g",
        "LTR" => "L",
        "MTQ" => "m³",
        "MLT" => "mL",
        null => "",
        _ => unit,
    };

    static string? Text(JsonObject? o, string name) => o?[name] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
}
