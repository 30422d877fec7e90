using Iot.Cloud.History;
using Iot.Cloud.Registry;

namespace Iot.Cloud.Epcis;

/// <summary>
/// What <see cref="EpcisExport"/> needs to know about one batch: the registry's records and the batch's sensor record.
/// </summary>
/// <param name="Batch">The batch.</param>
/// <param name="Product">Its product (a GTIN makes the batch a GS1 Digital Link).</param>
/// <param name="Producer">The party that produced it.</param>
/// <param name="Parties">Other parties the events name (receivers, senders), by id.</param>
/// <param name="Zones">The zones the events and stays name, by id.</param>
/// <param name="Stays">The batch's stays in zones.</param>
/// <param name="Events">The batch's trace events.</param>
/// <param name="Sensors">The batch's sensor record, per series and interval.</param>
/// <param name="BaseUrl">The public base URL identifiers are made under (<c>http://127.0.0.1:8080/</c>).</param>
/// <param name="CreatedAt">When the document is made.</param>
public sealed record BatchRecord(
    Batch Batch,
    Product Product,
    Party Producer,
    IReadOnlyList<Party> Parties,
    IReadOnlyList<Zone> Zones,
    IReadOnlyList<ZoneStay> Stays,
    IReadOnlyList<TraceEvent> Events,
    IReadOnlyList<SensorSummary> Sensors,
    Uri BaseUrl,
    DateTimeOffset CreatedAt);
