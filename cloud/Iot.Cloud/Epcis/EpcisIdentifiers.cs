using System.Globalization;
using System.Text.Json.Nodes;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Identifiers.Epc;

namespace Iot.Cloud.Epcis;

/// <summary>
/// The URIs the export names things by, all under one public base URL except where a standard gives the name: a
/// batch of a product with a GTIN is its GS1 Digital Link, a UHF crate's EPC its pure-identity URN.
/// </summary>
public sealed class EpcisIdentifiers
{
    /// <summary>GS1's resolver, the domain of a batch's Digital Link.</summary>
    public const string Gs1Domain = "id.gs1.org";

    readonly string baseUrl;

    /// <summary>Names things under <paramref name="baseUrl"/> (a trailing slash is added when missing).</summary>
    public EpcisIdentifiers(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        string text = baseUrl.AbsoluteUri;
        this.baseUrl = text.EndsWith('/') ? text : text + "/";
    }

    /// <summary>The base URL, ending in a slash.</summary>
    public string Base => baseUrl;

    /// <summary>
    /// A batch as an EPC class: <c>https://id.gs1.org/01/{GTIN-14}/10/{lot}</c> when the product has a GTIN (lot: the
    /// batch's GS1 lot, or its code), otherwise <c>{base}batches/{code}</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The lot is not a valid AI 10 value (over 20 characters, or outside set 82).</exception>
    public string BatchClass(string code, string? gtin, string? lot) =>
        gtin is null
            ? Under("batches", code)
            : Gs1DigitalLink.ForGtin(Gs1Domain, Gtin.Parse(gtin), batch: lot ?? code).Value;

    /// <summary>Another batch (one this export knows no product of): <c>{base}batches/{code}</c>.</summary>
    public string OtherBatch(string code) => Under("batches", code);

    /// <summary>A party: <c>{base}parties/{id}</c>.</summary>
    public string Party(long id) => Under("parties", id.ToString(CultureInfo.InvariantCulture));

    /// <summary>A zone (read point, business location): <c>{base}zones/{id}</c>.</summary>
    public string Zone(string zoneId) => Under("zones", zoneId);

    /// <summary>A gateway's sensor (or scale, or flow meter): <c>{base}gateways/{gateway}/sensors/{sensor}</c>.</summary>
    public string Sensor(string gatewayId, string sensorId) =>
        baseUrl + "gateways/" + Uri.EscapeDataString(gatewayId) + "/sensors/" + Uri.EscapeDataString(sensorId);

    /// <summary>A trace event: <c>{base}events/{id}</c>.</summary>
    public string Event(long id) => Under("events", id.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A tag as the contract sends it (<c>{"epc": hex}</c> or <c>{"uid": hex}</c>): a UHF EPC becomes its
    /// pure-identity URN (<c>urn:epc:id:sgtin:...</c>, <c>urn:epc:id:sscc:...</c>); an HF UID names a chip, not a
    /// product, and becomes <c>{base}tags/uid/{UID}</c>, never an EPC.
    /// </summary>
    /// <exception cref="FormatException">Neither a valid SGTIN-96 or SSCC-96 EPC nor a valid UID.</exception>
    public string Tag(JsonObject tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag["epc"] is JsonValue epcValue && epcValue.TryGetValue(out string? epc))
        {
            if (Sgtin96.TryParse(epc, out var sgtin, out string? sgtinError))
            {
                return sgtin.PureIdentityUrn;
            }

            if (Sscc96.TryParse(epc, out var sscc, out string? ssccError))
            {
                return sscc.PureIdentityUrn;
            }

            throw new FormatException($"crate EPC {epc} is neither SGTIN-96 ({sgtinError}) nor SSCC-96 ({ssccError})");
        }

        if (tag["uid"] is JsonValue uidValue && uidValue.TryGetValue(out string? uid))
        {
            return baseUrl + "tags/uid/" + HfTagUid.Parse(uid).Value;
        }

        throw new FormatException($"a tag has an \"epc\" or a \"uid\": {tag.ToJsonString()}");
    }

    /// <summary>
    /// The series export a sensor report's aggregates were made from:
    /// <c>{base}api/batches/{code}/series.csv?measurement=&amp;gateway=&amp;sensor=&amp;from=&amp;to=</c>.
    /// </summary>
    public string SeriesCsv(string batchCode, string measurement, string gatewayId, string sensorId, DateTimeOffset from, DateTimeOffset to) =>
        baseUrl + "api/batches/" + Uri.EscapeDataString(batchCode) + "/series.csv" +
        "?measurement=" + Uri.EscapeDataString(measurement) +
        "&gateway=" + Uri.EscapeDataString(gatewayId) +
        "&sensor=" + Uri.EscapeDataString(sensorId) +
        "&from=" + Uri.EscapeDataString(EpcisTimeConverter.Format(from.ToUniversalTime())) +
        "&to=" + Uri.EscapeDataString(EpcisTimeConverter.Format(to.ToUniversalTime()));

    /// <summary><c>{base}{path}</c>, for paths of our own (the <c>agri</c> namespace, documents, sensor events).</summary>
    public string Path(string path) => baseUrl + path;

    string Under(string collection, string id) => baseUrl + collection + "/" + Uri.EscapeDataString(id);
}
