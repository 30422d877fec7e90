using Iot.Cloud.Registry;
using Iot.Cloud.Tracing;
using Iot.Contracts.Identifiers;

namespace Iot.Cloud.Web.Regulator;

/// <summary>What a search query was taken for.</summary>
public enum SearchMatch
{
    /// <summary>No query: the most recent batches.</summary>
    Recent,

    /// <summary>A batch trace code.</summary>
    Batch,

    /// <summary>A national trace code linked to a batch.</summary>
    NationalCode,

    /// <summary>A crate's EPC or HF UID: the batches it held.</summary>
    Crate,

    /// <summary>A producer's name, credit code or entity code: its batches.</summary>
    Producer,

    /// <summary>A division code prefix or a province's name: the batches of producers there.</summary>
    Region,

    /// <summary>Nothing matched.</summary>
    None,
}

/// <summary>A batch as a search lists it.</summary>
public sealed record BatchRow(Batch Batch, Product? Product, Party? Producer);

/// <summary>
/// The answer to a search: what the query was taken for (<see cref="Match"/>, with the matched thing's name in
/// <see cref="Matched"/>), the batches it leads to, and, when a query looked like a trace code but is not a valid
/// one, why (<see cref="Problem"/>).
/// </summary>
public sealed record SearchResult(string Query, SearchMatch Match, string? Matched, IReadOnlyList<BatchRow> Batches, string? Problem);

/// <summary>
/// The regulator's one search box: a batch trace code, a national trace code, a crate's EPC or HF UID, a producer's
/// name or credit code, or a region (division code prefix of 2, 4 or 6 digits, or a province's Chinese or English
/// name). Identifiers are tried first (they are exact), then division prefixes, producers, and province names.
/// </summary>
public sealed class RegulatorSearch(RegistryStore store, Tracer tracer)
{
    /// <summary>The most batches one answer lists.</summary>
    public const int Limit = 200;

    /// <summary>Searches.</summary>
    public SearchResult Find(string? query)
    {
        string q = (query ?? "").Trim();
        if (q.Length == 0)
        {
            return new SearchResult(q, SearchMatch.Recent, null, Rows(store.ListBatches(limit: 50)), null);
        }

        if (tracer.Identify(q) is { } thing)
        {
            return thing.Kind switch
            {
                ThingKind.Batch => new SearchResult(q, SearchMatch.Batch, thing.Identifier, Rows([store.FindBatch(thing.Identifier)!]), null),
                ThingKind.NationalCode => new SearchResult(q, SearchMatch.NationalCode, thing.Identifier, Rows([store.FindBatch(thing.BatchCode!)!]), null),
                _ => new SearchResult(q, SearchMatch.Crate, thing.Identifier,
                    Rows((tracer.Backward(thing.Identifier)?.Batches ?? []).Select(b => b.Batch)), null),
            };
        }

        // 2, 4 or 6 digits are a division code prefix (a credit code holds its division too, but no one searches
        // for a company by four of its digits); a province's name only when no producer's name has it.
        bool divisionDigits = q.Length is 2 or 4 or 6 && q.All(char.IsAsciiDigit);
        var producers = divisionDigits ? [] : store.ListParties(search: q, limit: 50);
        if (producers.Count > 0)
        {
            return new SearchResult(q, SearchMatch.Producer, string.Join("、", producers.Select(p => p.Name)), BatchesOf(producers), null);
        }

        if (RegionPrefix(q) is { } region)
        {
            return new SearchResult(q, SearchMatch.Region, region.Name, BatchesOf(store.ListParties(divisionPrefix: region.Prefix, limit: Limit)), null);
        }

        // A query shaped like a trace code that is not one: say what is wrong with it (a mistyped character is the
        // usual case, and the check character finds it).
        string compact = q.Replace(" ", "", StringComparison.Ordinal);
        string? problem = compact.Length == BatchTraceCode.Length && compact.All(char.IsAsciiLetterOrDigit)
            && !BatchTraceCode.TryParseTyped(compact, out _, out string? error) ? error : null;
        return new SearchResult(q, SearchMatch.None, null, [], problem);
    }

    /// <summary>
    /// A division code prefix (2, 4 or 6 digits) or a province's name, Chinese (广东, 广东省) or English
    /// (Guangdong), as a prefix and the province's name; null when the query is neither.
    /// </summary>
    public static (string Prefix, string Name)? RegionPrefix(string query)
    {
        string q = query.Trim();
        if (q.Length is 2 or 4 or 6 && q.All(char.IsAsciiDigit) && Provinces.ByPrefix.TryGetValue(q[..2], out var byCode))
        {
            return (q, $"{byCode.Chinese} {q}");
        }

        foreach (var (prefix, (chinese, english)) in Provinces.ByPrefix)
        {
            if (q.Length >= 2 && (chinese.StartsWith(q, StringComparison.Ordinal) || q.StartsWith(chinese, StringComparison.Ordinal)
                || english.Equals(q, StringComparison.OrdinalIgnoreCase)))
            {
                return (prefix, chinese);
            }
        }

        return null;
    }

    List<BatchRow> BatchesOf(IEnumerable<Party> producers) =>
        Rows(producers.SelectMany(p => store.ListBatches(producerId: p.Id, limit: Limit)).Take(Limit));

    List<BatchRow> Rows(IEnumerable<Batch> batches)
    {
        var products = new Dictionary<long, Product?>();
        var parties = new Dictionary<long, Party?>();
        return batches
            .Select(b => new BatchRow(
                b,
                products.TryGetValue(b.ProductId, out var product) ? product : products[b.ProductId] = store.FindProduct(b.ProductId),
                parties.TryGetValue(b.ProducerId, out var producer) ? producer : parties[b.ProducerId] = store.FindParty(b.ProducerId)))
            .ToList();
    }
}
