using System.Text.Json.Nodes;

namespace Iot.Cloud.National;

/// <summary>
/// The exchange document of one batch: what a province sends to the national agricultural product quality safety
/// trace platform through its one interface. Serialised camelCase (<see cref="NationalJson.Options"/>); its shape is
/// documented in cloud/README.md ("Exchange document").
/// </summary>
/// <param name="Format">The document's format and version: <see cref="NationalExchange.Format"/>.</param>
/// <param name="GeneratedAt">When it was made (UTC).</param>
/// <param name="BatchCode">Our batch trace code.</param>
/// <param name="NationalTraceCode">The platform's trace code (追溯码), or null while the batch is not linked (see <paramref name="Warnings"/>).</param>
/// <param name="Lot">The GS1 lot (AI 10), when the product has a GTIN.</param>
/// <param name="Status">The batch's status: <c>growing</c>, <c>harvested</c>, <c>packed</c>, <c>shipped</c> or <c>recalled</c>.</param>
/// <param name="RecalledAt">When it was recalled, if it was.</param>
/// <param name="RecallReason">Why.</param>
/// <param name="Product">What the batch is.</param>
/// <param name="Producer">Who produced it.</param>
/// <param name="Events">Its trace events in time order.</param>
/// <param name="Sensors">Its sensor record: per measurement type, interval aggregates and gaps.</param>
/// <param name="Warnings">What the platform should know is missing or doubtful.</param>
public sealed record ExchangeDocument(
    string Format,
    DateTimeOffset GeneratedAt,
    string BatchCode,
    string? NationalTraceCode,
    string? Lot,
    string Status,
    DateTimeOffset? RecalledAt,
    string? RecallReason,
    ExchangeProduct Product,
    ExchangeProducer Producer,
    IReadOnlyList<ExchangeEvent> Events,
    IReadOnlyList<ExchangeSensor> Sensors,
    IReadOnlyList<string> Warnings);

/// <summary>The batch's product.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Category">Its category (may be empty).</param>
/// <param name="Gtin">Its GTIN-14, when it has one.</param>
public sealed record ExchangeProduct(string Name, string Category, string? Gtin);

/// <summary>
/// The batch's producer. An enterprise is named by its credit code; a household by its resident identity number,
/// always MASKED (<c>110105********002X</c>): the platform identifies the household by its national entity code.
/// </summary>
/// <param name="Kind"><c>enterprise</c> or <c>household</c>.</param>
/// <param name="Name">Its name.</param>
/// <param name="CreditCode">An enterprise's unified social credit code.</param>
/// <param name="ResidentId">A household's resident identity number, masked.</param>
/// <param name="DivisionCode">The administrative division code (GB/T 2260).</param>
/// <param name="NationalEntityCode">The platform's entity code (主体码), when known.</param>
public sealed record ExchangeProducer(string Kind, string Name, string? CreditCode, string? ResidentId, string DivisionCode, string? NationalEntityCode);

/// <summary>A trace event.</summary>
/// <param name="Type">Its type (<c>commissioned</c>, <c>batchEntered</c>, <c>inputApplied</c>, <c>harvested</c>, <c>shipped</c>, ...).</param>
/// <param name="Time">When it happened (UTC).</param>
/// <param name="Zone">The registry's zone, when it happened in one.</param>
/// <param name="Source"><c>gateway</c> (measured and sent by a gateway) or <c>api</c> (stated by a person).</param>
/// <param name="Details">The event's own properties, as recorded.</param>
public sealed record ExchangeEvent(string Type, DateTimeOffset Time, string? Zone, string Source, JsonObject Details);

/// <summary>
/// One measurement type of the batch's sensor record (e.g. <c>Temperature</c> in <c>CEL</c>) over all its series:
/// an aggregate per interval that had readings, and the intervals that had none as gaps (never values).
/// </summary>
/// <param name="Measurement">The CBV measurement type.</param>
/// <param name="Unit">The UN/ECE Recommendation 20 unit code.</param>
/// <param name="Series">How many sensor series (gateway, zone, sensor) contribute.</param>
/// <param name="Intervals">Intervals with readings, in time order.</param>
/// <param name="Gaps">Intervals in which no series had a reading, in time order.</param>
public sealed record ExchangeSensor(string Measurement, string Unit, int Series, IReadOnlyList<ExchangeInterval> Intervals, IReadOnlyList<ExchangeGap> Gaps);

/// <summary>An interval's aggregate over the series that had readings in it.</summary>
/// <param name="From">Start (inclusive).</param>
/// <param name="To">End (exclusive).</param>
/// <param name="Count">Good readings.</param>
/// <param name="Min">Smallest.</param>
/// <param name="Max">Largest.</param>
/// <param name="Mean">Mean of all the readings (each series weighted by its count).</param>
/// <param name="Series">How many series had readings in it (fewer than the measurement's <see cref="ExchangeSensor.Series"/>: some were silent).</param>
public sealed record ExchangeInterval(DateTimeOffset From, DateTimeOffset To, long Count, double Min, double Max, double Mean, int Series);

/// <summary>An interval without a single reading: a gap, stated as such.</summary>
/// <param name="From">Start (inclusive).</param>
/// <param name="To">End (exclusive).</param>
public sealed record ExchangeGap(DateTimeOffset From, DateTimeOffset To);
