using System.Collections.Concurrent;
using System.Globalization;
using Iot.Cloud.Storage;
using Iot.Contracts.Identifiers;

namespace Iot.Cloud.Registry;

/// <summary>A registered gateway.</summary>
public sealed record Gateway(string Id, string Name, DateTimeOffset RegisteredAt);

/// <summary>
/// The gateways the cloud accepts traffic from (table <c>gateways</c>), read on every message from a copy in memory
/// that every registration updates.
/// </summary>
public sealed class GatewayRegistry
{
    readonly CloudDatabase _database;
    readonly TimeProvider _time;
    readonly ConcurrentDictionary<string, Gateway> _known = new(StringComparer.Ordinal);

    /// <summary>Loads the registered gateways.</summary>
    public GatewayRegistry(CloudDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, registered_at FROM gateways";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var gateway = new Gateway(reader.GetString(0), reader.GetString(1), DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture));
            _known[gateway.Id] = gateway;
        }
    }

    /// <summary>Whether <paramref name="id"/> is registered.</summary>
    public bool IsKnown(string id) => _known.ContainsKey(id);

    /// <summary>Every registered gateway, by id.</summary>
    public IReadOnlyList<Gateway> List() => _known.Values.OrderBy(g => g.Id, StringComparer.Ordinal).ToList();

    /// <summary>The gateway <paramref name="id"/>, or null.</summary>
    public Gateway? Find(string id) => _known.GetValueOrDefault(id);

    /// <summary>
    /// Registers <paramref name="id"/> (a valid gateway id, see <see cref="LocalId"/>); returns the gateway and whether
    /// it was new. An existing registration is kept as it is.
    /// </summary>
    /// <exception cref="InvalidRecordException">The id or name is not valid; it says which and why.</exception>
    public (Gateway Gateway, bool Created) Register(string id, string? name)
    {
        if (!LocalId.IsValid(id, "gateway id", out string? error))
        {
            throw new InvalidRecordException("id", error);
        }

        if (name is { Length: > 200 })
        {
            throw new InvalidRecordException("name", $"must be at most 200 characters, got {name.Length}");
        }

        if (_known.TryGetValue(id, out var existing))
        {
            return (existing, false);
        }

        var now = _time.GetUtcNow();
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO gateways (id, name, registered_at) VALUES ($id, $name, $at) ON CONFLICT (id) DO NOTHING";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$name", name ?? "");
        command.Parameters.AddWithValue("$at", now.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        bool created = command.ExecuteNonQuery() == 1;
        var gateway = new Gateway(id, name ?? "", now);
        return (_known.GetOrAdd(id, gateway), created);
    }
}
