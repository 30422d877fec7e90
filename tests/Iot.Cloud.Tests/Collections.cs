using Iot.Testing.InfluxDb;

namespace Iot.Cloud.Tests;

/// <summary>One influxd for every test class of the collection; each cloud rig takes its own database.</summary>
[CollectionDefinition(InfluxDbFixture.CollectionName)]
public sealed class SharedInfluxDb : ICollectionFixture<InfluxDbFixture>;
