using Iot.Cloud.History;
using Iot.Cloud.History.Rollups;
using Iot.Cloud.Points;
using Iot.Cloud.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Iot.Cloud.Tests.History;

public sealed class HistoryServicesTests
{
    [Fact]
    public void AddHistory_builds_BatchHistory_on_the_InfluxDB_client_of_AddPoints()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        string folder = Path.Combine(Path.GetTempPath(), $"iot-history-{Guid.NewGuid():N}");
        builder.Configuration["Storage:Path"] = Path.Combine(folder, "cloud.db");
        builder.AddStorage().AddPoints().AddHistory();
        try
        {
            using var host = builder.Build();

            Assert.Same(host.Services.GetRequiredService<BatchHistory>(), host.Services.GetRequiredService<BatchHistory>());
            Assert.Same(host.Services.GetRequiredService<DirtyHours>(), host.Services.GetRequiredService<DirtyHours>());
            Assert.NotNull(host.Services.GetRequiredService<HourlyRollup>());
            Assert.NotNull(host.Services.GetRequiredService<PointWriter>());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("V1", true)]
    [InlineData("V2", false)]
    public void The_rollup_worker_runs_only_where_InfluxDB_runs_SELECT_INTO(string apiVersion, bool runs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        string folder = Path.Combine(Path.GetTempPath(), $"iot-history-{Guid.NewGuid():N}");
        builder.Configuration["Storage:Path"] = Path.Combine(folder, "cloud.db");
        builder.Configuration["InfluxDb:ApiVersion"] = apiVersion;
        builder.Configuration["InfluxDb:Organization"] = "farm";
        builder.Configuration["InfluxDb:Bucket"] = "farm";
        builder.Configuration["InfluxDb:Token"] = "token-for-a-test";
        builder.AddStorage().AddPoints().AddHistory();
        try
        {
            using var host = builder.Build();
            Assert.Equal(runs, host.Services.GetServices<IHostedService>().OfType<HourlyRollup>().Any());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Fact]
    public void AddHistory_without_AddPoints_says_so()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });

        var e = Assert.Throws<InvalidOperationException>(() => builder.AddHistory());
        Assert.Contains("AddPoints", e.Message, StringComparison.Ordinal);
    }
}
