using Iot.Testing.InfluxDb;

namespace Iot.InfluxDb.Tests;

[CollectionDefinition(InfluxDbFixture.CollectionName)]
public sealed class InfluxDbServerCollectionDefinition : ICollectionFixture<InfluxDbFixture>;
