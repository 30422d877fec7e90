using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace Iot.Cloud.Storage;

/// <summary>
/// The cloud's SQLite file: opened in WAL mode with fsynced commits, migrated at start by the numbered scripts in
/// <c>Storage/Migrations</c> (each applied once, in order, in its own transaction, recorded in <c>schema_migrations</c>).
/// </summary>
/// <remarks>
/// The SQL is kept plain (no SQLite-only functions in queries) so a PostgreSQL provider can follow with the same tests.
/// Connections are pooled by Microsoft.Data.Sqlite; each operation opens its own.
/// </remarks>
public sealed class CloudDatabase
{
    readonly string _connectionString;

    CloudDatabase(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The versions of the migrations this build carries, in order.</summary>
    public static IReadOnlyList<int> KnownMigrations => Migrations().Select(m => m.Version).ToList();

    /// <summary>Opens (creating if needed) and migrates the database at <paramref name="path"/>.</summary>
    public static CloudDatabase Open(string path)
    {
        string? folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var database = new CloudDatabase(path);
        using var connection = database.Connect();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        database.Migrate(connection);
        return database;
    }

    /// <summary>An open connection with fsynced commits and foreign keys on.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;";
        pragmas.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Whether the file answers a query (for readiness).</summary>
    public bool IsAvailable(out string? error)
    {
        try
        {
            using var connection = Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM schema_migrations";
            command.ExecuteScalar();
            error = null;
            return true;
        }
        catch (SqliteException e)
        {
            error = $"the database {Path} does not answer: {e.Message}";
            return false;
        }
    }

    void Migrate(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        var applied = new HashSet<int>();
        using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT version FROM schema_migrations";
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        int newest = Migrations().Select(m => m.Version).DefaultIfEmpty(0).Max();
        if (applied.Count > 0 && applied.Max() > newest)
        {
            throw new InvalidDataException(
                $"the database {Path} was migrated to version {applied.Max()} by a newer build; this build knows versions up to {newest}");
        }

        foreach (var migration in Migrations().Where(m => !applied.Contains(m.Version)))
        {
            using var transaction = connection.BeginTransaction();
            using (var script = connection.CreateCommand())
            {
                script.Transaction = transaction;
                script.CommandText = migration.Sql;
                script.ExecuteNonQuery();
            }

            using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)";
                record.Parameters.AddWithValue("$version", migration.Version);
                record.Parameters.AddWithValue("$name", migration.Name);
                record.Parameters.AddWithValue("$at", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                record.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    /// <summary>The embedded scripts <c>NNNN_name.sql</c>, ordered by their number.</summary>
    static IEnumerable<(int Version, string Name, string Sql)> Migrations()
    {
        var assembly = typeof(CloudDatabase).Assembly;
        const string prefix = "Iot.Cloud.Storage.Migrations.";
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string name = resource[prefix.Length..^".sql".Length];
            int version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream);
            yield return (version, name, text.ReadToEnd());
        }
    }
}
