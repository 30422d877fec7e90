using Iot.Testing.InfluxDb;
using Iot.Testing.Mosquitto;

namespace Iot.Testing.Tests;

[CollectionDefinition(InfluxDbFixture.CollectionName)]
public sealed class InfluxDbServerCollectionDefinition : ICollectionFixture<InfluxDbFixture>;

[CollectionDefinition(MosquittoFixture.CollectionName)]
public sealed class MosquittoServerCollectionDefinition : ICollectionFixture<MosquittoFixture>;
