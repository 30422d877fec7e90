using Xunit;

namespace Iot.Testing.InfluxDb;

/// <summary>
/// One influxd shared by the tests of a class (<c>IClassFixture&lt;InfluxDbFixture&gt;</c>) or of a
/// collection (<c>ICollectionFixture&lt;InfluxDbFixture&gt;</c>, see <see cref="CollectionName"/>).
/// Each test takes its own database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
/// <remarks>
/// Tests that stop, kill or restart the server need their own <see cref="InfluxDbServer"/>
/// (<see cref="InfluxDbServer.StartNewAsync"/>): the shared one must stay up for the others.
/// </remarks>
public sealed class InfluxDbFixture : IAsyncLifetime
{
    /// <summary>
    /// The name to use for the collection, defined once in each test project (xunit finds
    /// collection definitions only in the test assembly):
    /// <c>[CollectionDefinition(InfluxDbFixture.CollectionName)] public sealed class InfluxDbCollection : ICollectionFixture&lt;InfluxDbFixture&gt;;</c>
    /// </summary>
    public const string CollectionName = "InfluxDB server";

    private InfluxDbServer? server;

    /// <summary>The running server.</summary>
    public InfluxDbServer Server => server ?? throw new InvalidOperationException("the InfluxDB fixture is not initialised");

    /// <summary>Creates a database no other test uses and returns its name.</summary>
    public Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default) =>
        Server.CreateUniqueDatabaseAsync(prefix, cancellationToken);

    public async Task InitializeAsync() => server = await InfluxDbServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
