using System.Globalization;
using System.Security.Cryptography;
using Iot.Cloud.Storage;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.DeadLetters;

/// <summary>A refused message as stored: the whole payload, where it came from, why, and what replaying it did.</summary>
public sealed record DeadLetter(
    long Id,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    long Times,
    string Topic,
    byte[] Payload,
    string ReasonCode,
    string Reason,
    string? ClientId,
    string? GatewayId,
    long? Seq,
    DateTimeOffset? ReplayedAt,
    string? ReplayOutcome);

/// <summary>
/// Where refused messages are kept (table <c>dead_letters</c>), durably (the insert is committed and fsynced before the
/// message is acknowledged). The same message refused for the same reason again is counted (<c>times</c>), not copied,
/// and is open again (not replayed) if it had been replayed.
/// </summary>
public sealed class DeadLetterStore(CloudDatabase database, TimeProvider time)
{
    /// <summary>
    /// Keeps <paramref name="payload"/> refused for <paramref name="refusal"/>; returns its id. When it is already kept
    /// for that reason, the reason is updated and, if this is an <paramref name="arrival"/> (not a replay of it), it is
    /// counted and opened again.
    /// </summary>
    public long Add(string topic, ReadOnlySpan<byte> payload, Refusal refusal, string? clientId, string? gatewayId, long? seq, bool arrival = true)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        string now = Format(time.GetUtcNow());
        string hash = Convert.ToHexStringLower(SHA256.HashData(payload));
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO dead_letters (first_at, last_at, topic, payload, payload_sha256, reason_code, reason, client_id, gateway_id, seq)
            VALUES ($now, $now, $topic, $payload, $hash, $code, $reason, $client, $gateway, $seq)
            ON CONFLICT (topic, payload_sha256, reason_code) DO UPDATE SET reason = $reason,
                times = times + $arrival,
                last_at = CASE WHEN $arrival = 1 THEN $now ELSE last_at END,
                replayed_at = CASE WHEN $arrival = 1 THEN NULL ELSE replayed_at END
            RETURNING id
            """;
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$topic", topic);
        command.Parameters.Add("$payload", SqliteType.Blob).Value = payload.ToArray();
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$code", refusal.CodeName);
        command.Parameters.AddWithValue("$reason", refusal.Reason);
        command.Parameters.AddWithValue("$client", (object?)clientId ?? DBNull.Value);
        command.Parameters.AddWithValue("$gateway", (object?)gatewayId ?? DBNull.Value);
        command.Parameters.AddWithValue("$seq", (object?)seq ?? DBNull.Value);
        command.Parameters.AddWithValue("$arrival", arrival ? 1 : 0);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// Dead letters newest first, at most <paramref name="limit"/>, optionally only one reason code or gateway, only
    /// those with an id below <paramref name="before"/> (for paging), and only those not replayed (<paramref name="openOnly"/>).
    /// </summary>
    public IReadOnlyList<DeadLetter> List(int limit, string? reasonCode = null, string? gatewayId = null, long? before = null, bool openOnly = false)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM dead_letters
            WHERE ($code IS NULL OR reason_code = $code) AND ($gateway IS NULL OR gateway_id = $gateway) AND ($before IS NULL OR id < $before)
              AND ($open = 0 OR replayed_at IS NULL)
            ORDER BY id DESC LIMIT $limit
            """;
        command.Parameters.AddWithValue("$code", (object?)reasonCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$gateway", (object?)gatewayId ?? DBNull.Value);
        command.Parameters.AddWithValue("$before", (object?)before ?? DBNull.Value);
        command.Parameters.AddWithValue("$open", openOnly ? 1 : 0);
        command.Parameters.AddWithValue("$limit", limit);
        return Read(command);
    }

    /// <summary>One dead letter, or null.</summary>
    public DeadLetter? Get(long id)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM dead_letters WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        return Read(command).FirstOrDefault();
    }

    /// <summary>How many are stored (rows) and how many refusals they count (times).</summary>
    public (long Rows, long Times) Count()
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*), COALESCE(SUM(times), 0) FROM dead_letters";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>
    /// Records what replaying dead letter <paramref name="id"/> did; it is replayed (closed) when <paramref name="done"/>,
    /// and stays open when the replay was refused again for the same reason.
    /// </summary>
    public void MarkReplayed(long id, string outcome, bool done = true)
    {
        using var connection = database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE dead_letters SET replayed_at = $at, replay_outcome = $outcome WHERE id = $id";
        command.Parameters.AddWithValue("$at", done ? Format(time.GetUtcNow()) : (object)DBNull.Value);
        command.Parameters.AddWithValue("$outcome", outcome);
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    const string Columns = "id, first_at, last_at, times, topic, payload, reason_code, reason, client_id, gateway_id, seq, replayed_at, replay_outcome";

    static List<DeadLetter> Read(SqliteCommand command)
    {
        var letters = new List<DeadLetter>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            letters.Add(new DeadLetter(
                reader.GetInt64(0),
                Parse(reader.GetString(1)),
                Parse(reader.GetString(2)),
                reader.GetInt64(3),
                reader.GetString(4),
                (byte[])reader.GetValue(5),
                reader.GetString(6),
                reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetInt64(10),
                reader.IsDBNull(11) ? null : Parse(reader.GetString(11)),
                reader.IsDBNull(12) ? null : reader.GetString(12)));
        }

        return letters;
    }

    static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    static DateTimeOffset Parse(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
