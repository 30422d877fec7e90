using Iot.Contracts.Messages;
using Iot.Contracts.Topics;
using Iot.Contracts.Validation;
using Microsoft.Data.Sqlite;

namespace Iot.Edge.Outbox;

/// <summary>
/// Where a reading waits offline: a durable, bounded, ordered queue of contract messages in one SQLite file.
/// </summary>
/// <remarks>
/// <para>Durability. The file runs in WAL mode with <c>synchronous=FULL</c>: every <see cref="Append"/> is one
/// transaction, and when it returns the WAL has been fsynced, so its messages survive kill -9 and a power cut.
/// What a power cut can cost is only what had not been appended yet (readings the sampler was still collecting).</para>
/// <para>Sequence. The gateway's message sequence number lives in this file and is taken in the same transaction that
/// stores the message, so numbers never repeat or go backwards across restarts, and a stored message is immutable: a
/// resend after a crash is byte-for-byte the message first sent.</para>
/// <para>Bound. Past <see cref="OutboxOptions.MaxBytes"/>, the oldest readings messages are deleted, and counted, in the
/// same transaction; trace events and command results are never deleted before the broker acknowledged them.</para>
/// <para>Reading back. The newest entries stay in memory as they were stored (at most
/// <see cref="RecentEntries.MaxBytes"/>), so the uplink sends what was just appended without reading it from the file;
/// only an uplink that is further behind (after being offline) reads the file.</para>
/// <para>Deletion. <see cref="Acknowledge"/> deletes a message; the uplink calls it only after the broker's PUBACK.
/// A deletion is committed without waiting for the disk (<c>synchronous=NORMAL</c> for that transaction; the next
/// append's fsync makes it durable): a power cut can undo the last deletions, and then those messages are sent again,
/// byte for byte with their sequence numbers, which the cloud stores once. Nothing acknowledged by the broker can be
/// lost that way, and the uplink does not wait for an fsync per batch of PUBACKs.</para>
/// </remarks>
public sealed class SqliteOutbox : IDisposable
{
    const long SchemaVersion = 1;

    readonly SqliteConnection _db;

    /// <summary>Guards the connection and the counters: every statement on <see cref="_db"/> runs under it.</summary>
    readonly Lock _gate = new();

    /// <summary>
    /// A second connection, for <see cref="Peek"/> only: in WAL mode it reads the last committed state while an append
    /// or a deletion holds <see cref="_db"/>, so the uplink does not wait for the disk to send what is already stored.
    /// </summary>
    readonly SqliteConnection _reader;

    /// <summary>Guards <see cref="_reader"/> and <see cref="_recent"/>.</summary>
    readonly Lock _readGate = new();

    /// <summary>
    /// One writer at a time (<see cref="Append"/>, <see cref="TakeSeq"/>): <c>_nextSeq</c> changes only under it, so an
    /// append can number and serialise its messages before it takes <see cref="_gate"/>, and the uplink's
    /// <see cref="Peek"/> and <see cref="Acknowledge"/> are not held up while it does.
    /// </summary>
    readonly Lock _writerGate = new();
    readonly TimeProvider _time;
    readonly long _maxBytes;
    readonly string _gatewayId;

    long _nextSeq;
    long _depth;
    long _bytes;
    long _droppedReadings;
    long _droppedMessages;

    /// <summary>The newest entries as stored, for <see cref="Peek"/>; every entry from its <c>From</c> on is in it.</summary>
    RecentEntries _recent = new(long.MaxValue);

    SqliteOutbox(SqliteConnection db, SqliteConnection reader, string gatewayId, long maxBytes, TimeProvider time)
    {
        _db = db;
        _reader = reader;
        _gatewayId = gatewayId;
        _maxBytes = maxBytes;
        _time = time;
    }

    /// <summary>Opens (or creates) the outbox file of <paramref name="gatewayId"/>.</summary>
    public static SqliteOutbox Open(string path, string gatewayId, long maxBytes, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        string connection = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString();
        var db = new SqliteConnection(connection);
        var reader = new SqliteConnection(connection);
        var outbox = new SqliteOutbox(db, reader, gatewayId, maxBytes, time ?? TimeProvider.System);
        try
        {
            db.Open();
            outbox.Initialise();
            reader.Open();
            using var busy = reader.CreateCommand();
            busy.CommandText = "PRAGMA busy_timeout=5000;";
            busy.ExecuteNonQuery();
        }
        catch
        {
            outbox.Dispose();
            throw;
        }

        return outbox;
    }

    void Initialise()
    {
        Execute("PRAGMA journal_mode=WAL;");
        Execute("PRAGMA synchronous=FULL;");
        Execute("PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS outbox (
                seq INTEGER PRIMARY KEY,
                kind INTEGER NOT NULL,
                topic TEXT NOT NULL,
                payload BLOB NOT NULL,
                readings INTEGER NOT NULL,
                created_ms INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS outbox_droppable ON outbox (kind, seq);
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
            INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', 1), ('next_seq', 1),
                ('dropped_readings', 0), ('dropped_messages', 0);
            """);

        long version = Meta("schema_version");
        if (version != SchemaVersion)
        {
            throw new InvalidDataException($"outbox file has schema version {version}; this gateway knows version {SchemaVersion}");
        }

        string? owner = MetaText("gateway_id");
        if (owner is null)
        {
            using var set = Command("INSERT INTO meta (key, value) VALUES ('gateway_id', $id);");
            set.Parameters.AddWithValue("$id", _gatewayId);
            set.ExecuteNonQuery();
        }
        else if (owner != _gatewayId)
        {
            // Sequence numbers are per gateway: reusing another gateway's file would resend its messages under our id.
            throw new InvalidDataException($"outbox file belongs to gateway '{owner}', not '{_gatewayId}'; give each gateway its own Outbox:Path");
        }

        _nextSeq = Meta("next_seq");
        _droppedReadings = Meta("dropped_readings");
        _droppedMessages = Meta("dropped_messages");
        using var counts = Command("SELECT COUNT(*), COALESCE(SUM(length(payload)), 0), COALESCE(MAX(seq), 0) FROM outbox;");
        using var reader = counts.ExecuteReader();
        reader.Read();
        _depth = reader.GetInt64(0);
        _bytes = reader.GetInt64(1);
        _nextSeq = Math.Max(_nextSeq, reader.GetInt64(2) + 1);
        _recent = new RecentEntries(_nextSeq);
    }

    /// <summary>The outbox at a glance.</summary>
    public OutboxSnapshot Snapshot()
    {
        lock (_gate)
        {
            DateTime? oldest = null;
            if (_depth > 0)
            {
                using var cmd = Command("SELECT created_ms FROM outbox ORDER BY seq LIMIT 1;");
                oldest = DateTime.UnixEpoch.AddMilliseconds((long)cmd.ExecuteScalar()!);
            }

            return new OutboxSnapshot(_depth, _bytes, oldest, _droppedReadings, _droppedMessages);
        }
    }

    /// <summary>
    /// Takes the next sequence number without storing a message (for status messages, which are retained by the
    /// broker rather than queued here). Durable like every other number taken.
    /// </summary>
    public long TakeSeq()
    {
        lock (_writerGate)
        {
            lock (_gate)
            {
                using var tx = _db.BeginTransaction();
                long seq = _nextSeq;
                SetMeta("next_seq", seq + 1, tx);
                tx.Commit();
                _nextSeq = seq + 1;
                return seq;
            }
        }
    }

    /// <summary>
    /// Stores messages in one fsynced transaction, giving each the next sequence number (the <c>Seq</c> they carry is
    /// replaced). Returns the stored entries in order. Throws <see cref="ArgumentException"/> if a message breaks the
    /// contract: nothing is stored then.
    /// </summary>
    public IReadOnlyList<OutboxEntry> Append(IReadOnlyList<ContractMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return [];
        }

        lock (_writerGate)
        {
            // Serialising is most of an append's time: it runs before the connection is taken (see _writerGate).
            long seq = _nextSeq;
            var now = _time.GetUtcNow().UtcDateTime;
            var entries = new List<OutboxEntry>(messages.Count);
            long newBytes = 0;
            foreach (var message in messages)
            {
                var (kind, topic, readings, numbered) = Describe(message, seq);
                byte[] payload = ContractWriter.Write(numbered);
                entries.Add(new OutboxEntry(seq, kind, topic, payload, readings, now));
                newBytes += payload.Length;
                seq++;
            }

            lock (_gate)
            {
                Store(entries, seq, newBytes);
            }

            return entries;
        }
    }

    /// <summary>Inserts <paramref name="entries"/> in one fsynced transaction, making room first; under both locks.</summary>
    void Store(List<OutboxEntry> entries, long seq, long newBytes)
    {
        if (_bytes + newBytes > _maxBytes)
        {
            // Old readings are about to leave the file: from the first new entry on, the file will hold only what this
            // append adds. Forgotten before the deletion commits, so Peek never hands out a message already dropped.
            lock (_readGate)
            {
                _recent.Clear(entries[0].Seq);
            }
        }

        using var tx = _db.BeginTransaction();
        var (droppedMessages, droppedReadings, droppedBytes) = MakeRoom(newBytes, tx);
        using (var insert = Command("INSERT INTO outbox (seq, kind, topic, payload, readings, created_ms) VALUES ($seq, $kind, $topic, $payload, $readings, $created);", tx))
        {
            var pSeq = insert.Parameters.Add("$seq", SqliteType.Integer);
            var pKind = insert.Parameters.Add("$kind", SqliteType.Integer);
            var pTopic = insert.Parameters.Add("$topic", SqliteType.Text);
            var pPayload = insert.Parameters.Add("$payload", SqliteType.Blob);
            var pReadings = insert.Parameters.Add("$readings", SqliteType.Integer);
            var pCreated = insert.Parameters.Add("$created", SqliteType.Integer);
            insert.Prepare();
            foreach (var e in entries)
            {
                pSeq.Value = e.Seq;
                pKind.Value = (int)e.Kind;
                pTopic.Value = e.Topic;
                pPayload.Value = e.Payload;
                pReadings.Value = e.Readings;
                pCreated.Value = (long)(e.CreatedUtc - DateTime.UnixEpoch).TotalMilliseconds;
                insert.ExecuteNonQuery();
            }
        }

        SetMeta("next_seq", seq, tx);
        if (droppedMessages > 0)
        {
            SetMeta("dropped_readings", _droppedReadings + droppedReadings, tx);
            SetMeta("dropped_messages", _droppedMessages + droppedMessages, tx);
        }

        tx.Commit();

        lock (_readGate)
        {
            _recent.Add(entries);
        }

        _nextSeq = seq;
        _depth += entries.Count - droppedMessages;
        _bytes += newBytes - droppedBytes;
        _droppedReadings += droppedReadings;
        _droppedMessages += droppedMessages;
    }

    /// <summary>Deletes the oldest readings messages until <paramref name="incoming"/> bytes fit; never anything else.</summary>
    (long Messages, long Readings, long Bytes) MakeRoom(long incoming, SqliteTransaction tx)
    {
        long excess = _bytes + incoming - _maxBytes;
        if (excess <= 0)
        {
            return (0, 0, 0);
        }

        long messages = 0, readings = 0, bytes = 0, lastSeq = 0;
        using (var oldest = Command("SELECT seq, readings, length(payload) FROM outbox WHERE kind = 0 ORDER BY seq;", tx))
        using (var reader = oldest.ExecuteReader())
        {
            while (bytes < excess && reader.Read())
            {
                lastSeq = reader.GetInt64(0);
                readings += reader.GetInt64(1);
                bytes += reader.GetInt64(2);
                messages++;
            }
        }

        if (messages > 0)
        {
            using var delete = Command("DELETE FROM outbox WHERE kind = 0 AND seq <= $last;", tx);
            delete.Parameters.AddWithValue("$last", lastSeq);
            delete.ExecuteNonQuery();
        }

        return (messages, readings, bytes);
    }

    /// <summary>
    /// Up to <paramref name="max"/> waiting messages with a sequence number above <paramref name="afterSeq"/>, oldest
    /// first. The newest come from memory as they were stored (<see cref="RecentEntries"/>), older ones from the file.
    /// </summary>
    public IReadOnlyList<OutboxEntry> Peek(int max, long afterSeq = 0)
    {
        lock (_readGate)
        {
            var recent = new List<OutboxEntry>(Math.Min(max, _recent.Count));
            if (_recent.TryPeek(afterSeq, max, recent))
            {
                return recent;
            }

            using var cmd = _reader.CreateCommand();
            cmd.CommandText = "SELECT seq, kind, topic, payload, readings, created_ms FROM outbox WHERE seq > $after ORDER BY seq LIMIT $max;";
            cmd.Parameters.AddWithValue("$after", afterSeq);
            cmd.Parameters.AddWithValue("$max", max);
            using var reader = cmd.ExecuteReader();
            var list = new List<OutboxEntry>();
            while (reader.Read())
            {
                list.Add(new OutboxEntry(
                    reader.GetInt64(0),
                    (OutboxEntryKind)reader.GetInt32(1),
                    reader.GetString(2),
                    (byte[])reader.GetValue(3),
                    reader.GetInt32(4),
                    DateTime.UnixEpoch.AddMilliseconds(reader.GetInt64(5))));
            }

            return list;
        }
    }

    /// <summary>Deletes messages the broker acknowledged (PUBACK). Unknown numbers (already dropped or deleted) are ignored.</summary>
    public void Acknowledge(IReadOnlyCollection<long> seqs)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        if (seqs.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            // See "Deletion" above: losing a deletion costs a resend, never a message, so it need not wait for the disk.
            Execute("PRAGMA synchronous=NORMAL;");
            try
            {
                Delete(seqs);
            }
            finally
            {
                Execute("PRAGMA synchronous=FULL;");
            }
        }
    }

    /// <summary>Deletes <paramref name="seqs"/> in one transaction, keeping the depth and size counts.</summary>
    void Delete(IReadOnlyCollection<long> seqs)
    {
        using var tx = _db.BeginTransaction();
        long deleted = 0, bytes = 0;
        using (var delete = Command("DELETE FROM outbox WHERE seq = $seq RETURNING length(payload);", tx))
        {
            var pSeq = delete.Parameters.Add("$seq", SqliteType.Integer);
            delete.Prepare();
            foreach (long seq in seqs)
            {
                pSeq.Value = seq;
                if (delete.ExecuteScalar() is long length)
                {
                    deleted++;
                    bytes += length;
                }
            }
        }

        tx.Commit();

        // Only once the deletions are committed: until then the entries are still waiting, and Peek must find them.
        lock (_readGate)
        {
            foreach (long seq in seqs)
            {
                _recent.Remove(seq);
            }
        }

        _depth -= deleted;
        _bytes -= bytes;
    }

    (OutboxEntryKind Kind, string Topic, int Readings, ContractMessage Numbered) Describe(ContractMessage message, long seq)
    {
        if (!string.Equals(message.GatewayId, _gatewayId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"message of gateway '{message.GatewayId}' offered to the outbox of '{_gatewayId}'", nameof(message));
        }

        return message switch
        {
            ReadingsMessage m => (OutboxEntryKind.Readings, Topic.Readings(_gatewayId).ToString(), m.Readings.Count, m with { Seq = seq }),
            EventsMessage m => (OutboxEntryKind.Events, Topic.Events(_gatewayId).ToString(), 0, m with { Seq = seq }),
            CommandResultMessage m => (OutboxEntryKind.CommandResult, Topic.CommandResult(_gatewayId).ToString(), 0, m with { Seq = seq }),
            _ => throw new ArgumentException($"{message.GetType().Name} does not go through the outbox", nameof(message)),
        };
    }

    long Meta(string key)
    {
        using var cmd = Command("SELECT value FROM meta WHERE key = $key;");
        cmd.Parameters.AddWithValue("$key", key);
        return (long)cmd.ExecuteScalar()!;
    }

    string? MetaText(string key)
    {
        using var cmd = Command("SELECT value FROM meta WHERE key = $key;");
        cmd.Parameters.AddWithValue("$key", key);
        return cmd.ExecuteScalar() as string;
    }

    void SetMeta(string key, long value, SqliteTransaction tx)
    {
        using var cmd = Command("UPDATE meta SET value = $value WHERE key = $key;", tx);
        cmd.Parameters.AddWithValue("$key", key);
        cmd.Parameters.AddWithValue("$value", value);
        cmd.ExecuteNonQuery();
    }

    void Execute(string sql)
    {
        using var cmd = Command(sql);
        cmd.ExecuteNonQuery();
    }

    SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _reader.Dispose();
        _db.Dispose();
    }
}
