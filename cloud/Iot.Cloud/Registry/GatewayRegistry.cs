using System.Collections.Concurrent;
using System.Globalization;
using Iot.Cloud.Storage;
using Iot.Contracts.Identifiers;

namespace Iot.Cloud.Registry;

/// <summary>A registered gateway; <see cref="HasSecret"/> says whether it can log in to the embedded broker.</summary>
public sealed record Gateway(string Id, string Name, DateTimeOffset RegisteredAt, bool HasSecret);

/// <summary>
/// The gateways the cloud accepts traffic from (table <c>gateways</c>), read on every message from a copy in memory
/// that every registration updates.
/// </summary>
public sealed class GatewayRegistry
{
    readonly CloudDatabase _database;
    readonly TimeProvider _time;
    readonly ConcurrentDictionary<string, Gateway> _known = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, string> _secretHashes = new(StringComparer.Ordinal);

    /// <summary>Loads the registered gateways.</summary>
    public GatewayRegistry(CloudDatabase database, TimeProvider time)
    {
        _database = database;
        _time = time;
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, registered_at, secret_hash FROM gateways";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            bool hasSecret = !reader.IsDBNull(3);
            var gateway = new Gateway(reader.GetString(0), reader.GetString(1), DateTimeOffset.Parse(reader.GetString(2), CultureInfo.InvariantCulture), hasSecret);
            _known[gateway.Id] = gateway;
            if (hasSecret)
            {
                _secretHashes[gateway.Id] = reader.GetString(3);
            }
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
        var gateway = new Gateway(id, name ?? "", now, HasSecret: false);
        return (_known.GetOrAdd(id, gateway), created);
    }

    /// <summary>Sets (or replaces) the MQTT password of registered gateway <paramref name="id"/>.</summary>
    /// <exception cref="InvalidRecordException">The secret is not acceptable (<c>secret</c>).</exception>
    /// <exception cref="KeyNotFoundException">The gateway is not registered.</exception>
    public Gateway SetSecret(string id, string? secret)
    {
        if (!_known.TryGetValue(id, out var gateway))
        {
            throw new KeyNotFoundException($"gateway '{id}' is not registered");
        }

        if (!GatewaySecrets.IsAcceptable(secret, out string? reason))
        {
            throw new InvalidRecordException("secret", reason);
        }

        string hash = GatewaySecrets.Hash(secret!);
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE gateways SET secret_hash = $hash WHERE id = $id";
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
        _secretHashes[id] = hash;
        return _known[id] = gateway with { HasSecret = true };
    }

    /// <summary>Whether <paramref name="secret"/> is the MQTT password of registered gateway <paramref name="id"/>.</summary>
    public bool Authenticate(string id, string? secret) =>
        _secretHashes.TryGetValue(id, out string? hash) && GatewaySecrets.Verify(secret, hash);
}
