using System.Text.Json;
using Iot.Contracts.Identifiers;
using Iot.Contracts.Messages;

namespace Iot.Edge.Stamping;

/// <summary>
/// Which batches are in which zone or line right now: the stamp every reading and event carries. Set by
/// configuration at first start, then by the cloud's <c>set-batch</c> command or a batch card scanned on a line.
/// Every change is itself a trace event (<c>batchLeft</c> / <c>batchEntered</c>) and is kept in a small state file,
/// so a restart does not fall back to an out-of-date configuration.
/// </summary>
public sealed class BatchStamps
{
    readonly Lock _gate = new();
    readonly Dictionary<string, List<string>> _codesByZone;

    /// <summary>
    /// What <see cref="CodesIn"/> hands out: a read-only copy of each zone's codes, made when they change rather than
    /// on every reading (every reading of every sensor asks). A change replaces the copy; a copy is never modified.
    /// </summary>
    readonly Dictionary<string, IReadOnlyList<string>> _stampByZone = new(StringComparer.Ordinal);
    readonly string? _statePath;

    /// <summary>Zones whose batches come from the configuration and have not been announced as trace events yet.</summary>
    readonly HashSet<string> _unannounced = new(StringComparer.Ordinal);

    /// <summary>
    /// Zones with their configured batches; the state file, when it exists, wins over the configuration for zones it
    /// knows (a zone added to the configuration later starts from its configured batches).
    /// </summary>
    public BatchStamps(IReadOnlyDictionary<string, IReadOnlyList<string>> configured, string? statePath = null)
    {
        ArgumentNullException.ThrowIfNull(configured);
        _statePath = statePath;
        _codesByZone = configured.ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
        foreach (var (zone, codes) in _codesByZone)
        {
            Check(zone, codes);
        }

        _unannounced.UnionWith(_codesByZone.Where(z => z.Value.Count > 0).Select(z => z.Key));
        if (statePath is not null && File.Exists(statePath))
        {
            var saved = JsonSerializer.Deserialize(File.ReadAllBytes(statePath), StampingJsonContext.Default.DictionaryStringListString)
                ?? throw new InvalidDataException($"{statePath} is empty");
            foreach (var (zone, codes) in saved)
            {
                if (_codesByZone.ContainsKey(zone))
                {
                    Check(zone, codes);
                    _codesByZone[zone] = codes;
                    _unannounced.Remove(zone);
                }
            }
        }

        foreach (var (zone, codes) in _codesByZone)
        {
            _stampByZone[zone] = Array.AsReadOnly(codes.ToArray());
        }
    }

    /// <summary>The zones and lines this gateway knows.</summary>
    public IReadOnlyCollection<string> Zones => _codesByZone.Keys;

    /// <summary>Whether <paramref name="zone"/> is one of this gateway's zones or lines.</summary>
    public bool Knows(string zone) => _codesByZone.ContainsKey(zone);

    /// <summary>The batch trace codes active in <paramref name="zone"/> now (empty for an empty or unknown zone).</summary>
    public IReadOnlyList<string> CodesIn(string zone)
    {
        lock (_gate)
        {
            return _stampByZone.TryGetValue(zone, out var codes) ? codes : [];
        }
    }

    /// <summary>
    /// The <c>batchEntered</c> events (by configuration) of the batches the configuration put in zones that the state
    /// file did not know: at a gateway's first start, and for a zone added to the configuration later. Each is given
    /// once: the state file then knows the zone, so a restart announces nothing again.
    /// </summary>
    public IReadOnlyList<TraceEvent> AnnounceConfigured(DateTime time)
    {
        lock (_gate)
        {
            var events = new List<TraceEvent>();
            foreach (string zone in _unannounced.Order(StringComparer.Ordinal))
            {
                var codes = _codesByZone[zone];
                foreach (string batch in codes)
                {
                    events.Add(new BatchEnteredEvent { Time = time, Zone = zone, TraceCodes = [.. codes], Batch = batch, By = BatchSource.Configuration });
                }
            }

            if (_unannounced.Count > 0)
            {
                _unannounced.Clear();
                Save();
            }

            return events;
        }
    }

    /// <summary>
    /// Makes <paramref name="batch"/> the only batch in <paramref name="zone"/> (null empties it), returning the
    /// trace events that record the change: a <c>batchLeft</c> for each batch that left, a <c>batchEntered</c> for the new one.
    /// </summary>
    public IReadOnlyList<TraceEvent> Set(string zone, string? batch, BatchSource by, DateTime time, CrateTag? card = null)
    {
        if (!Knows(zone))
        {
            throw new ArgumentException($"no zone or line '{zone}' on this gateway; known: {string.Join(", ", Zones)}", nameof(zone));
        }

        if (batch is not null && !BatchTraceCode.TryParse(batch, out _, out var error))
        {
            throw new ArgumentException(error, nameof(batch));
        }

        lock (_gate)
        {
            var current = _codesByZone[zone];
            var events = new List<TraceEvent>();
            foreach (string leaving in current.Where(c => c != batch))
            {
                events.Add(new BatchLeftEvent { Time = time, Zone = zone, TraceCodes = [.. current], Batch = leaving, By = by, Card = card });
            }

            var after = batch is null ? new List<string>() : [batch];
            if (batch is not null && !current.Contains(batch))
            {
                events.Add(new BatchEnteredEvent { Time = time, Zone = zone, TraceCodes = [.. after], Batch = batch, By = by, Card = card });
            }

            _codesByZone[zone] = after;
            _stampByZone[zone] = Array.AsReadOnly(after.ToArray());
            _unannounced.Remove(zone);
            Save();
            return events;
        }
    }

    void Save()
    {
        if (_statePath is null)
        {
            return;
        }

        // Write beside, fsync, then rename over: a power cut leaves the old file or the new one, never half of one.
        string temp = _statePath + ".tmp";
        using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(file, _codesByZone, StampingJsonContext.Default.DictionaryStringListString);
            file.Flush(flushToDisk: true);
        }

        File.Move(temp, _statePath, overwrite: true);
    }

    static void Check(string zone, IEnumerable<string> codes)
    {
        if (!LocalId.IsValid(zone, "zone", out var zoneError))
        {
            throw new ArgumentException(zoneError);
        }

        foreach (string code in codes)
        {
            if (!BatchTraceCode.TryParse(code, out _, out var error))
            {
                throw new ArgumentException($"zone {zone}: {error}");
            }
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, List<string>>))]
internal sealed partial class StampingJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
