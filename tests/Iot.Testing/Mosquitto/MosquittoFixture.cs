using Xunit;

namespace Iot.Testing.Mosquitto;

/// <summary>
/// One mosquitto shared by the tests of a class (<c>IClassFixture&lt;MosquittoFixture&gt;</c>) or of a
/// collection (<c>ICollectionFixture&lt;MosquittoFixture&gt;</c>, see <see cref="CollectionName"/>).
/// Each test publishes below its own <see cref="UniqueTopicPrefix"/> and uses its own client ids.
/// </summary>
/// <remarks>
/// Tests that stop, kill or restart the broker need their own <see cref="MosquittoServer"/>
/// (<see cref="MosquittoServer.StartNewAsync"/>): the shared one must stay up for the others.
/// </remarks>
public sealed class MosquittoFixture : IAsyncLifetime
{
    /// <summary>
    /// The name to use for the collection, defined once in each test project (xunit finds
    /// collection definitions only in the test assembly):
    /// <c>[CollectionDefinition(MosquittoFixture.CollectionName)] public sealed class MosquittoCollection : ICollectionFixture&lt;MosquittoFixture&gt;;</c>
    /// </summary>
    public const string CollectionName = "Mosquitto broker";

    private MosquittoServer? server;

    /// <summary>The running broker.</summary>
    public MosquittoServer Server => server ?? throw new InvalidOperationException("the Mosquitto fixture is not initialised");

    /// <summary>A topic prefix no other test uses, e.g. "test/3f2a9c0d1e4b".</summary>
    public static string UniqueTopicPrefix(string prefix = "test") => UniqueNames.TopicPrefix(prefix);

    /// <summary>A client id no other client uses (at most 23 characters).</summary>
    public static string UniqueClientId(string prefix = "test") => UniqueNames.ClientId(prefix);

    public async Task InitializeAsync() => server = await MosquittoServer.StartNewAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
